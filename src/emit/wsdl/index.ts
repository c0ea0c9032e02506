// The `wsdl` target: one WSDL 1.1 file per contract, <Service>.wsdl, with the
// schema embedded, document/literal wrapped, SOAP 1.1 and SOAP 1.2 bindings
// over HTTP.
import { oncePerModel } from '../once-per-model.js';
import type { Emitter } from '../types.js';
import { buildWsdl } from './definitions.js';
import { warnLeftOut } from './left-out.js';
import { findReach } from './reach.js';
import { renderWsdl } from './render.js';

export const wsdlEmitter: Emitter = {
  target: 'wsdl',
  description: 'WSDL 1.1 (SOAP 1.1 and 1.2, document/literal wrapped)',
  emit: oncePerModel((model, ctx) => {
    const reach = findReach(model);
    warnLeftOut(model, reach, ctx);
    return [{ path: `${model.service.name}.wsdl`, content: renderWsdl(buildWsdl(model, reach)) }];
  }),
};
