// werift peer connections on loopback only, for every test that opens a data channel:
// sockets bound to 127.0.0.1, and only 127.0.0.1 candidate pairs checked (no STUN or TURN is reachable).
export const WERIFT_LOOPBACK = {
  iceUseIpv6: false,
  iceInterfaceAddresses: { udp4: '127.0.0.1' },
  iceAdditionalHostAddresses: ['127.0.0.1'],
  iceFilterCandidatePair: (pair: { localCandidate: { host: string }; remoteCandidate: { host: string } }) =>
    pair.localCandidate.host === '127.0.0.1' && pair.remoteCandidate.host === '127.0.0.1',
};
