// The werift guard the service and the Node WebRTC client both put on their
// peer connections: a far end that breaks the SCTP or data channel protocol
// is reported to the guarded side (which ends that connection) instead of
// ending the process with an unhandled rejection or a parser that never
// returns. Two werift peers on loopback, signalled in memory.
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, type RTCDataChannel } from 'werift';
import { guardWeriftReceive } from '../src/werift-guard.js';

const LOOPBACK = {
  iceUseIpv6: false,
  iceInterfaceAddresses: { udp4: '127.0.0.1' },
  iceAdditionalHostAddresses: ['127.0.0.1'],
  iceFilterCandidatePair: (pair: { localCandidate: { host: string }; remoteCandidate: { host: string } }) =>
    pair.localCandidate.host === '127.0.0.1' && pair.remoteCandidate.host === '127.0.0.1',
};

type Sctp = { send(stream: number, ppid: number, data: Buffer): Promise<void>; sendChunk(chunk: { bytes: Buffer }): Promise<void> };

const open: RTCPeerConnection[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((peer) => peer.close()));
});

/** A guarded peer and an attacker connected to it, with the attacker's open data channel and the guard's reports. */
async function connected(): Promise<{ attacker: RTCPeerConnection; channel: RTCDataChannel; failures: unknown[] }> {
  const guardedPeer = new RTCPeerConnection(LOOPBACK);
  const attacker = new RTCPeerConnection(LOOPBACK);
  open.push(guardedPeer, attacker);
  const failures: unknown[] = [];
  guardWeriftReceive(guardedPeer, (error) => failures.push(error));
  attacker.onIceCandidate.subscribe((candidate) => candidate && void guardedPeer.addIceCandidate(candidate));
  guardedPeer.onIceCandidate.subscribe((candidate) => candidate && void attacker.addIceCandidate(candidate));
  const channel = attacker.createDataChannel('apigen');
  const opened = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the data channel did not open within 10 s')), 10_000);
    channel.onopen = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  await attacker.setLocalDescription(await attacker.createOffer());
  await guardedPeer.setRemoteDescription(attacker.localDescription!);
  await guardedPeer.setLocalDescription(await guardedPeer.createAnswer());
  await attacker.setRemoteDescription(guardedPeer.localDescription!);
  await opened;
  return { attacker, channel, failures };
}

async function reported(failures: unknown[]): Promise<void> {
  for (let i = 0; i < 200 && failures.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

const DCEP = 50;
const attacks: Record<string, (sctp: Sctp, stream: number) => Promise<void>> = {
  'an ACK for a channel never opened': (sctp, stream) => sctp.send(stream + 100, DCEP, Buffer.from([0x02])),
  'an unknown payload protocol': (sctp, stream) => sctp.send(stream, 99, Buffer.from('{}')),
  'an unknown chunk type': (sctp) => sctp.sendChunk({ bytes: Buffer.from([0xee, 0, 0, 4]) }),
  // werift's packet parser did not move past a chunk whose length field says 0, adding chunks until the heap was gone.
  'a chunk of length 0': (sctp) => sctp.sendChunk({ bytes: Buffer.from([11, 0, 0, 0]) }),
};

describe('guardWeriftReceive', () => {
  for (const [what, attack] of Object.entries(attacks)) {
    it(`reports ${what} to the guarded side instead of throwing where nothing awaits`, async () => {
      const { attacker, channel, failures } = await connected();
      const sctp = (attacker as unknown as { sctpTransport: { sctp: Sctp } }).sctpTransport.sctp;
      await attack(sctp, channel.id!);
      await reported(failures);
      expect(failures.length, what).toBeGreaterThan(0);
      expect(failures[0]).toBeInstanceOf(Error);
    }, 20_000);
  }

  it('leaves a connection that keeps the protocol alone, and an object that is not werift\'s', async () => {
    const { channel, failures } = await connected();
    channel.send('hello');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(failures).toEqual([]);
    expect(() => guardWeriftReceive({}, () => undefined)).not.toThrow();
  }, 20_000);
});
