// "Tanya petugas": sends the chat form without reloading, follows the conversation live.
// The socket only delivers (events carry ids, never text): on each event, and on reconnect,
// the page reloads the conversation's snapshot and redraws it. Text goes in with textContent
// only, so nothing typed by anyone is ever read as markup.
(() => {
  const root = document.getElementById("obrolan");
  if (!root) return;
  const $ = (sel) => root.querySelector(sel);
  const LABELS = { visitor: "Pengunjung", officer: "Petugas", system: "Sistem" };
  let socket = null;
  let delay = 1000;

  function item(m) {
    const li = document.createElement("li");
    li.className = `msg msg-${m.sender}`;
    li.dataset.id = m.id;
    const who = document.createElement("strong");
    who.className = "small";
    who.textContent = m.is_auto ? "Jawaban otomatis" : LABELS[m.sender] || m.sender;
    const text = document.createElement("span");
    text.className = "msg-text";
    text.style.whiteSpace = "pre-line";
    text.textContent = m.text;
    li.append(who, " ", text);
    if (m.link && m.link.startsWith("/")) {  // a path of this site, never a script URL
      const a = document.createElement("a");
      a.href = m.link;
      a.textContent = "Lihat layanan";
      li.append(" ", a);
    }
    if (m.was_masked) {
      const note = document.createElement("em");
      note.className = "muted small";
      note.textContent = "(angka pribadi disamarkan)";
      li.append(" ", note);
    }
    return li;
  }

  function render(snap) {
    $("[data-messages]").replaceChildren(...snap.messages.map(item));
    $("[data-status]").textContent = snap.status_display;
    root.dataset.state = snap.status;
  }

  async function refresh() {
    if (!root.dataset.snapshot) return;
    try {
      const res = await fetch(root.dataset.snapshot, { headers: { Accept: "application/json" } });
      if (res.ok) render(await res.json());
    } catch (e) { /* offline for a moment: the next event or reconnect tries again */ }
  }

  function connect() {
    if (!root.dataset.ws || socket) return;
    const proto = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${proto}://${location.host}${root.dataset.ws}`);
    socket.onopen = () => { $("[data-connection]").textContent = ""; delay = 1000; refresh(); };
    socket.onmessage = (msg) => { if (JSON.parse(msg.data).event) refresh(); };
    socket.onclose = (ev) => {
      socket = null;
      if (ev.code === 4403) return;  // not ours to read: stay on the page as loaded
      $("[data-connection]").textContent = "Koneksi terputus; menyambung lagi…";
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  function startFollowing(conversationId) {
    if (root.dataset.conversation) return;
    root.dataset.conversation = conversationId;
    root.dataset.ws = `/ws/metapers/tanya/${conversationId}/`;
    root.dataset.snapshot = `/metapers/tanya/${conversationId}/pesan.json`;
    connect();
  }

  root.querySelectorAll("form[data-chat-form]").forEach((form) => {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const error = $("[data-error]");
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const res = await fetch(form.action || location.href, {
          method: "POST", body: new FormData(form), headers: { Accept: "application/json" },
        });
        const data = await res.json();
        if (!res.ok) {
          error.textContent = data.error || "Pesan tidak terkirim.";
          error.hidden = false;
          return;
        }
        error.hidden = true;
        const text = form.querySelector("textarea");
        if (text) text.value = "";
        startFollowing(String(data.conversation));
        render(data);
      } catch (e) {
        error.textContent = "Pesan tidak terkirim: periksa koneksi Anda lalu coba lagi.";
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    });
  });
  connect();
})();
