// Formatting for Firestore Timestamps (or anything with toMillis / a Date / epoch millis).

export function toMillis(value) {
  if (value == null) return null;
  if (typeof value.toMillis === 'function') return value.toMillis();
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  return null;
}

/** A live age: "just now", "42 s ago", "7 min ago", "3 h ago", then the date. */
export function formatAge(millis, now = Date.now()) {
  const seconds = Math.max(0, Math.floor((now - millis) / 1000));
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `on ${new Date(millis).toLocaleDateString()}`;
}

/** A duration in seconds, for people: "45 s", "3 min 20 s", "2 h 5 min", "1 d 3 h". */
export function formatDuration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return null;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function formatTime(millis) {
  return new Date(millis).toLocaleString();
}
