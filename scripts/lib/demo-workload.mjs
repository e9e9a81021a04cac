// The demo environment's application: holds some memory and burns a little CPU, in bursts, forever.
const held = [];
for (let i = 0; i < 64; i++) held.push(Buffer.alloc(1024 * 1024, i));
setInterval(() => {
  const until = Date.now() + 150;
  let x = 0;
  while (Date.now() < until) x += Math.sqrt(x + held.length);
}, 1000);
