// A QR code drawn as SVG from its modules (qrcode-generator computes them): no image file, no
// data: URL and no inline style, so the page's strict Content-Security-Policy holds. Used for
// what a phone or a till scans: an authenticator app's otpauth:// URI, a till's activation code.
import qrcode from "qrcode-generator";

export function QrCode({ text, label }: { text: string; label: string }) {
  const code = qrcode(0, "M"); // the smallest version that holds the text; 15 % recoverable
  code.addData(text, "Byte");
  code.make();
  const size = code.getModuleCount();
  const quiet = 4; // the quiet zone the standard asks for around the symbol, in modules
  let path = "";
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      if (code.isDark(row, column)) path += `M${column + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const side = size + quiet * 2;
  return (
    <svg
      class="qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${side} ${side}`}
      width={side * 5}
      height={side * 5}
      shape-rendering="crispEdges"
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
