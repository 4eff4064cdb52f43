// What the address names: the page (`#/reports`) and what its link says besides
// (`#/reports?location=...&period=...`).

export function currentPath(): string {
  return window.location.hash.replace(/^#/, "").split("?", 1)[0] || "/";
}

export function linkParameters(): URLSearchParams {
  return new URLSearchParams(window.location.hash.split("?")[1] ?? "");
}
