// node-recv.js GROUP PORT - a benchmark receiver: Node.js dgram joined to GROUP on lo,
// counting datagrams (what a small Node.js monitoring tool would do). recv-capacity runs
// it inside its private namespace, fills its queue while it is stopped and times the
// drain from outside; the count is printed on SIGTERM.
'use strict';
const dgram = require('dgram');

const [group, port] = process.argv.slice(2);
const sock = dgram.createSocket({ type: 'udp4', reuseAddr: true });
let count = 0;

sock.on('message', () => {
  count++;
});
sock.on('error', (err) => {
  console.error(`node-recv: ${err.message}`);
  process.exit(1);
});
sock.bind(Number(port), () => sock.addMembership(group, '127.0.0.1'));
process.on('SIGTERM', () => {
  console.log(count);
  process.exit(0);
});
