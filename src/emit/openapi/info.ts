// The document head: info, servers and the one tag every operation carries.
import type { Model } from '../../contract/model.js';
import type { Info, Server, Tag } from './spec.js';


export function printInfo(model: Model): Info {
  const { title, version, description } = model.service;
  return description === undefined ? { title, version } : { title, version, description };
}

/** REST is served at each server's root; a trailing slash would double the paths' leading one. */
export function printServers(model: Model): Server[] {
  return model.service.servers.map((s) => {
    const url = s.url.length > 1 ? s.url.replace(/\/+$/, '') : s.url;
    return s.description === undefined ? { url } : { url, description: s.description };
  });
}

export function serviceTag(model: Model): string {
  return model.service.name;
}

export function printTags(model: Model): Tag[] {
  return [{ name: serviceTag(model), description: `Operations and events of ${model.service.title}.` }];
}
