// What the call modules share: who I am, this tab's session, the call layer and its strings, the
// call this tab is in, the one ringing here, and the calls going on that concern the member.
export const me = Number(document.body.dataset.userId || 0);
// This tab's name in calls: the server relays signalling to the one tab that joined.
export const session = `t${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;

export const state = {
  layer: null,
  text: {},
  current: null, // the call this tab is in
  ringingFor: null, // the snapshot of the call ringing on this tab
};
export const dismissed = new Set();
export const live = new Map(); // call id -> newest snapshot of calls going on that concern the member

export function $(selector) {
  return state.layer.querySelector(selector);
}

export function mine(call) {
  return call.participants.find((p) => p.user_id === me);
}

export function others(call) {
  return call.participants.filter((p) => p.user_id !== me);
}

export function titleOf(call) {
  if (call.is_group) return call.chat_title;
  return others(call)[0]?.name || "";
}

export function endedText(call) {
  const outcome = call.outcome;
  if (outcome === "busy") return state.text.busy;
  if (outcome === "declined") return state.text.declined;
  if (outcome === "missed") return state.text.missed;
  if (outcome === "cancelled") return state.text.cancelled;
  return state.text.ended;
}

export function readStrings() {
  const data = state.layer.dataset;
  state.text = {};
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith("i18n")) {
      const name = key.slice(4);
      state.text[name[0].toLowerCase() + name.slice(1)] = value;
    }
  }
}
