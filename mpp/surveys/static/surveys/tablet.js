// The counter's survey tablet while it waits (issue 18, item 24): it follows the mall's live
// events and opens the survey as soon as its counter finishes a ticket, instead of reloading
// every few seconds. When the websocket is down it asks the page itself every 20 s (the page is
// its own snapshot: it shows the survey once there is one to answer). The thanks after an answer
// fades back to the waiting screen by itself.
(() => {
  const box = document.querySelector("[data-tablet-idle]");
  if (!box) return;
  const counter = Number(box.dataset.counter);
  const url = box.dataset.url;
  let polling = null;
  let delay = 1000;

  const open = () => location.replace(url);

  async function check() {
    try {
      const res = await fetch(url, { headers: { Accept: "text/html" }, cache: "no-store" });
      if (res.ok && !(await res.text()).includes("data-tablet-idle")) open();
    } catch (e) { /* still offline: the next round asks again */ }
  }

  function connect() {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}${box.dataset.ws}`);
    ws.onopen = () => {
      delay = 1000;
      clearInterval(polling);
      polling = null;
      document.body.dataset.live = "on";
      check();  // a ticket finished while the socket was away
    };
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.event === "ticket.finished" && msg.payload && msg.payload.counter === counter) open();
    };
    ws.onclose = () => {
      document.body.dataset.live = "off";
      if (!polling) polling = setInterval(check, 20000);
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  const thanked = document.querySelector("[data-thanked]");
  if (thanked) {
    setTimeout(() => {
      thanked.remove();
      history.replaceState(null, "", url);
    }, 10000);
  }
  connect();
})();
