// AccessBot web chat. Every text from the bot or the user is set with textContent (never innerHTML),
// the token lives in sessionStorage and travels only in the Authorization header.
"use strict";

(function () {
  const TOKEN_KEY = "accessbot.token";
  const USER_KEY = "accessbot.user";
  const DONE = new Set(["EXPIRED", "REVOKED", "DENIED", "CANCELLED", "TIMED_OUT", "FAILED"]);
  const REQUEST_ID = /\bAR-[A-Z0-9]{3,16}\b/g;
  const $ = (id) => document.getElementById(id);
  // `epoch` changes on every sign-out: answers to requests sent before it are dropped.
  const state = { token: null, user: null, requestId: null, status: null, timer: null, busy: false, epoch: 0 };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function sessionId() {
    const key = "accessbot.session." + (state.user ? state.user.user : "anon");
    let id = sessionStorage.getItem(key);
    if (!id) {
      const bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      sessionStorage.setItem(key, id);
    }
    return id;
  }

  async function api(method, path, body) {
    const headers = { "Accept": "application/json" };
    const token = state.token;
    const epoch = state.epoch;
    if (token) headers["Authorization"] = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin", cache: "no-store",
    });
    let data = {};
    try { data = await response.json(); } catch (_) { data = {}; }
    if (epoch !== state.epoch) {
      const error = new Error("signed out");
      error.status = 401;  // the answer belongs to a session that has ended: callers ignore it
      throw error;
    }
    if (response.status === 401 && token && path !== "/dev/login") {
      signOut(data.error || "Sign in again.");
    }
    if (!response.ok) {
      const error = new Error(data.error || ("HTTP " + response.status));
      error.status = response.status;
      throw error;
    }
    return data;
  }

  // ---- sign-in ----------------------------------------------------------------------------------
  async function showSignIn(message) {
    const epoch = state.epoch;
    $("app").hidden = true;
    $("who").hidden = true;
    $("sign-in").hidden = false;
    $("sign-in-error").textContent = message || "";
    const box = $("users");
    box.replaceChildren();
    let config = { mode: "none" };
    try { config = await api("GET", "/auth/config"); } catch (_) { /* stays "none" */ }
    if (epoch !== state.epoch) return;  // signed in or out again meanwhile: that call draws the box
    if (config.mode === "dev") {
      let data;
      try { data = await api("GET", "/dev/users"); } catch (error) {
        if (epoch === state.epoch) $("sign-in-error").textContent = error.message;
        return;
      }
      if (epoch !== state.epoch) return;
      for (const user of data.users) {
        const button = el("button");
        button.type = "button";
        button.dataset.user = user.user;
        button.append(el("strong", null, user.name + " (" + user.user + ")"), el("small", null, user.role));
        button.addEventListener("click", () => signIn(user.user));
        box.append(button);
      }
    } else if (config.mode === "oidc") {
      $("sign-in-help").textContent = "Sign in with your organisation's account.";
      const button = el("button", "primary", "Sign in");
      button.type = "button";
      button.addEventListener("click", () => redirectToIdp(config));
      box.append(button);
    } else {
      $("sign-in-help").textContent = "Sign-in is not configured on this deployment.";
    }
    const first = box.querySelector("button");
    if (first) first.focus();
  }

  // OIDC authorization code flow with PKCE (RFC 7636): no client secret in the page, and the
  // one-time code (never a token) is the only thing that ever appears in the address bar.
  function base64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  async function redirectToIdp(config) {
    const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const stateValue = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    sessionStorage.setItem("accessbot.pkce", JSON.stringify({ verifier, state: stateValue, config }));
    const url = new URL(config.authorize_url);
    url.search = new URLSearchParams({
      response_type: "code", client_id: config.client_id, redirect_uri: location.origin + "/",
      scope: config.scope, state: stateValue, code_challenge: challenge, code_challenge_method: "S256",
    }).toString();
    location.assign(url.toString());
  }

  async function completeIdpSignIn(params) {
    const saved = JSON.parse(sessionStorage.getItem("accessbot.pkce") || "null");
    sessionStorage.removeItem("accessbot.pkce");
    history.replaceState(null, "", "/");
    if (!saved || saved.state !== params.get("state")) throw new Error("Sign-in was interrupted; try again.");
    const response = await fetch(saved.config.token_url, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code", client_id: saved.config.client_id, code: params.get("code"),
        redirect_uri: location.origin + "/", code_verifier: saved.verifier,
      }).toString(),
    });
    const data = await response.json();
    if (!response.ok || !data.id_token) throw new Error("Sign-in failed; try again.");
    state.token = data.id_token;
    sessionStorage.setItem(TOKEN_KEY, data.id_token);
  }

  async function signIn(user) {
    try {
      const data = await api("POST", "/dev/login", { user });
      state.token = data.token;
      sessionStorage.setItem(TOKEN_KEY, data.token);
      await start();
    } catch (error) {
      $("sign-in-error").textContent = error.message;
    }
  }

  function signOut(message) {
    state.epoch += 1;
    stopPolling();
    state.token = null; state.user = null; state.requestId = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    $("messages").replaceChildren();
    $("pending").replaceChildren();
    $("mine-list").replaceChildren();
    $("status").hidden = true;
    showSignIn(message);
  }

  async function start() {
    const me = await api("GET", "/me");
    state.user = me;
    sessionStorage.setItem(USER_KEY, JSON.stringify(me));
    $("who-name").textContent = me.name + (me.approver ? " (approver)" : "");
    $("who").hidden = false;
    $("sign-in").hidden = true;
    $("app").hidden = false;
    $("approvals").hidden = !me.approver;
    $("app").classList.toggle("approver", Boolean(me.approver));
    if (!$("messages").children.length) {
      addBot({ text: "Hi " + me.name.split(" ")[0] + ". Tell me what access you need, in your own words." });
    }
    if (me.approver) loadPending();
    loadMine(true);
    $("text").focus();
  }

  // ---- rendering --------------------------------------------------------------------------------
  function scrollDown() {
    const list = $("messages");
    list.scrollTop = list.scrollHeight;
  }

  function addMine(text) {
    const item = el("li", "msg me");
    const bubble = el("div", "bubble");
    bubble.append(el("p", "text", text));
    item.append(bubble);
    $("messages").append(item);
    scrollDown();
  }

  function addError(text) {
    const item = el("li", "msg bot error");
    const bubble = el("div", "bubble");
    bubble.append(el("p", "text", text));
    item.append(bubble);
    $("messages").append(item);
    scrollDown();
  }

  function addBot(reply) {
    const item = el("li", "msg bot");
    item.append(renderReply(reply, (value, label) => send(value, label)));
    $("messages").append(item);
    scrollDown();
  }

  function renderReply(reply, onChoice) {
    const bubble = el("div", "bubble");
    bubble.append(el("p", "text", reply.text || ""));
    if (reply.findings && reply.findings.length) bubble.append(renderFindings(reply.findings));
    if (reply.policy) bubble.append(renderPolicy(reply.policy));
    if (reply.table) bubble.append(renderTable(reply.table));
    if (reply.buttons && reply.buttons.length) {
      const row = el("div", "buttons");
      for (const choice of reply.buttons) {
        const button = el("button", null, choice.label);
        button.type = "button";
        if (choice.style) button.dataset.style = choice.style;
        button.addEventListener("click", () => {
          row.querySelectorAll("button").forEach((b) => { b.disabled = true; });
          onChoice(choice.value, choice.label);
        });
        row.append(button);
      }
      bubble.append(row);
    }
    return bubble;
  }

  function renderFindings(findings) {
    const list = el("ul", "findings");
    list.setAttribute("aria-label", "Findings");
    for (const finding of findings) {
      const item = el("li", "finding sev-" + String(finding.severity || "").replace(/[^a-z_]/g, ""));
      item.append(el("span", "sev", String(finding.severity || "").replace("_", " ")));
      item.append(el("span", "message", finding.message || ""));
      if (finding.code) item.append(" ", el("span", "code", finding.code));
      if (finding.fix) item.append(el("span", "fix", finding.fix));
      list.append(item);
    }
    return list;
  }

  // JSON highlighting by tokens: each token is its own span with textContent.
  const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],:])/g;

  function highlight(json) {
    const out = document.createDocumentFragment();
    let last = 0;
    for (const match of json.matchAll(TOKEN)) {
      if (match.index > last) out.append(json.slice(last, match.index));
      if (match[1]) {
        out.append(el("span", match[2] ? "j-key" : "j-str", match[1]));
        if (match[2]) out.append(el("span", "j-pun", match[2]));
      } else if (match[3]) out.append(el("span", "j-num", match[3]));
      else if (match[4]) out.append(el("span", "j-lit", match[4]));
      else out.append(el("span", "j-pun", match[5]));
      last = match.index + match[0].length;
    }
    out.append(json.slice(last));
    return out;
  }

  function renderPolicy(policy) {
    const text = JSON.stringify(policy, null, 2);
    const box = el("div", "policy");
    const head = el("div", "policy-head");
    head.append(el("span", null, "Policy document"));
    const copy = el("button", null, "Copy");
    copy.type = "button";
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(text);
        copy.textContent = "Copied";
      } catch (_) {
        const range = document.createRange();
        range.selectNodeContents(pre);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        copy.textContent = "Selected: press Ctrl+C";
      }
      setTimeout(() => { copy.textContent = "Copy"; }, 2000);
    });
    head.append(copy);
    const pre = el("pre");
    pre.tabIndex = 0;
    pre.setAttribute("aria-label", "Policy document JSON");
    const code = el("code");
    code.append(highlight(text));
    pre.append(code);
    box.append(head, pre);
    return box;
  }

  function renderTable(table) {
    const wrap = el("div");
    const scroller = el("div", "table-wrap");
    const grid = el("table");
    const head = el("tr");
    for (const column of table.columns || []) {
      const th = el("th", null, column);
      th.scope = "col";
      head.append(th);
    }
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    for (const row of table.rows || []) {
      const tr = el("tr");
      for (const cell of row) tr.append(el("td", null, cell));
      body.append(tr);
    }
    grid.append(thead, body);
    scroller.append(grid);
    wrap.append(scroller);
    if (table.chart && Object.keys(table.chart).length) wrap.append(renderChart(table.chart));
    return wrap;
  }

  function renderChart(chart) {
    const NS = "http://www.w3.org/2000/svg";
    const entries = Object.entries(chart).slice(0, 20);
    const max = Math.max(1, ...entries.map(([, v]) => Number(v) || 0));
    const rowHeight = 20, labelWidth = 150, width = 460;
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("class", "chart");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (entries.length * rowHeight + 4));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Bar chart: " + entries.map(([k, v]) => k + " " + v).join(", "));
    entries.forEach(([label, value], i) => {
      const y = i * rowHeight + 2;
      const name = document.createElementNS(NS, "text");
      name.setAttribute("x", "0"); name.setAttribute("y", String(y + 14));
      name.textContent = label.length > 22 ? label.slice(0, 21) + "…" : label;
      const bar = document.createElementNS(NS, "rect");
      const barWidth = Math.max(1, ((Number(value) || 0) / max) * (width - labelWidth - 50));
      bar.setAttribute("class", "bar");
      bar.setAttribute("x", String(labelWidth)); bar.setAttribute("y", String(y + 3));
      bar.setAttribute("width", String(barWidth)); bar.setAttribute("height", String(rowHeight - 6));
      const amount = document.createElementNS(NS, "text");
      amount.setAttribute("x", String(labelWidth + barWidth + 4)); amount.setAttribute("y", String(y + 14));
      amount.textContent = String(value);
      svg.append(name, bar, amount);
    });
    return svg;
  }

  // ---- chat -------------------------------------------------------------------------------------
  async function send(text, label) {
    text = (text || "").trim();
    if (!text || state.busy) return;
    state.busy = true;
    $("send").disabled = true;
    addMine(label || text);
    try {
      const data = await api("POST", "/chat", { text, session_id: sessionId() });
      for (const reply of data.replies || []) addBot(reply);
      if (data.request_id) { track(data.request_id, data.status); loadMine(false); }
      if (state.user && state.user.approver) loadPending();
    } catch (error) {
      if (error.status !== 401) addError(error.message);
    } finally {
      state.busy = false;
      $("send").disabled = false;
      $("text").focus();
    }
  }

  // ---- live status ------------------------------------------------------------------------------
  function showStatus(requestId, status) {
    $("status").hidden = false;
    $("status-id").textContent = requestId;
    const badge = $("status-badge");
    badge.textContent = String(status || "…").replace(/_/g, " ");
    badge.dataset.status = status || "";
  }

  function stopPolling() {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
  }

  function track(requestId, status) {
    state.requestId = requestId;
    state.status = status || state.status;
    showStatus(requestId, state.status);
    stopPolling();
    schedulePoll();
  }

  function schedulePoll() {
    if (!state.requestId || DONE.has(state.status)) return;
    const wait = state.status === "ACTIVE" ? 10000 : 2500;
    state.timer = setTimeout(poll, wait);
  }

  async function poll() {
    if (!state.requestId || !state.token) return;
    try {
      const data = await api("GET", "/requests/" + encodeURIComponent(state.requestId));
      if (data.status && data.status !== state.status) {
        state.status = data.status;
        showStatus(state.requestId, data.status);
        const latest = (data.replies || [])[0];
        if (latest) addBot(latest);
        loadMine(false);
      }
    } catch (_) { /* keep the last known status; try again */ }
    schedulePoll();
  }

  // Follow one request: its status in the badge, its latest state in the chat.
  function follow(requestId) {
    stopPolling();
    state.requestId = requestId;
    state.status = null;
    showStatus(requestId, null);
    markFollowed();
    poll();
  }

  // ---- my requests ------------------------------------------------------------------------------
  function markFollowed() {
    for (const item of $("mine-list").children) {
      item.setAttribute("aria-current", String(item.dataset.request === state.requestId));
    }
  }

  // `resume`: right after sign-in, follow the newest request again (the badge survives signing out).
  async function loadMine(resume) {
    const box = $("mine-list");
    let data;
    try {
      data = await api("GET", "/requests/mine");
    } catch (error) {
      if (error.status !== 401) box.replaceChildren(el("li", "error", error.message));
      return;
    }
    box.replaceChildren();
    const reply = (data.replies || [])[0] || {};
    const table = reply.table || { columns: [], rows: [] };
    const skip = new Set([(table.columns || []).indexOf("Requested by")]);
    const ids = [];
    for (const row of table.rows || []) {
      const id = (String(row[0] || "").match(REQUEST_ID) || [])[0];
      if (!id) continue;
      ids.push(id);
      const item = el("li");
      item.dataset.request = id;
      const button = el("button", null, id);
      button.type = "button";
      button.setAttribute("aria-label", "Follow " + id);
      button.addEventListener("click", () => follow(id));
      const meta = row.slice(1).filter((cell, i) => cell && !skip.has(i + 1)).join(" · ");
      item.append(button, el("span", "meta", meta));
      box.append(item);
    }
    if (!ids.length) box.append(el("li", "empty", reply.text || "No requests yet."));
    if (resume && ids.length && !state.requestId) follow(ids[0]);
    else markFollowed();
  }

  // ---- approvals --------------------------------------------------------------------------------
  function requestIds(reply) {
    const found = new Set();
    const scan = (value) => { for (const m of String(value || "").matchAll(REQUEST_ID)) found.add(m[0]); };
    scan(reply.text);
    if (reply.table) for (const row of reply.table.rows || []) row.forEach(scan);
    for (const b of reply.buttons || []) scan(b.value);
    return Array.from(found);
  }

  async function loadPending() {
    const box = $("pending");
    try {
      const data = await api("GET", "/requests/pending");
      box.replaceChildren();
      const replies = data.replies || [];
      const ids = new Set();
      for (const reply of replies) {
        const item = el("div", "item");
        item.append(renderReply({ ...reply, buttons: [] }, () => {}));
        box.append(item);
        requestIds(reply).forEach((id) => ids.add(id));
      }
      for (const id of ids) box.append(decisionControls(id));
      if (!ids.size && !replies.length) box.append(el("p", "empty", "Nothing is waiting for you."));
    } catch (error) {
      if (error.status !== 401) box.replaceChildren(el("p", "error", error.message));
    }
  }

  function decisionControls(requestId) {
    const row = el("div", "decide");
    row.dataset.request = requestId;
    row.append(el("strong", null, requestId));
    const reason = el("input");
    reason.type = "text";
    reason.maxLength = 1000;
    reason.placeholder = "Reason (needed to deny)";
    reason.setAttribute("aria-label", "Reason for " + requestId);
    const approve = el("button", "primary", "Approve");
    approve.type = "button";
    approve.setAttribute("aria-label", "Approve " + requestId);
    const deny = el("button", "danger", "Deny");
    deny.type = "button";
    deny.setAttribute("aria-label", "Deny " + requestId);
    const note = el("p", "text");
    note.setAttribute("role", "status");
    const decide = async (yes) => {
      if (!yes && !reason.value.trim()) { note.textContent = "Say why you deny it."; reason.focus(); return; }
      approve.disabled = deny.disabled = true;
      try {
        const data = await api("POST", "/requests/" + encodeURIComponent(requestId) + "/decision",
          { approve: yes, reason: reason.value.trim() || null });
        note.textContent = (data.replies || []).map((r) => r.text).join("\n") || (yes ? "Approved." : "Denied.");
        if (data.request_id) track(data.request_id, data.status);
        setTimeout(loadPending, 1500);
      } catch (error) {
        note.textContent = error.message;
        approve.disabled = deny.disabled = false;
      }
    };
    approve.addEventListener("click", () => decide(true));
    deny.addEventListener("click", () => decide(false));
    row.append(reason, approve, deny, note);
    return row;
  }

  // ---- wiring -----------------------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", () => {
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = $("text").value;
      $("text").value = "";
      send(text);
    });
    $("text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("composer").requestSubmit();
      }
    });
    $("sign-out").addEventListener("click", () => signOut(""));
    $("refresh").addEventListener("click", loadPending);
    $("refresh-mine").addEventListener("click", () => loadMine(false));
    const params = new URLSearchParams(location.search);
    if (params.has("code") && params.has("state")) {
      completeIdpSignIn(params).then(start).catch((error) => signOut(error.message));
      return;
    }
    state.token = sessionStorage.getItem(TOKEN_KEY);
    if (state.token) start().catch(() => signOut("")); else showSignIn("");
  });
})();
