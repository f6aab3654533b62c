import qrcode from 'qrcode-generator';

/**
 * A QR code drawn as SVG in the browser (qrcode-generator: the module matrix; we draw it). One path
 * of 1×1 squares with the 4-module quiet zone the standard asks for; black on white, so it prints
 * and scans the same on any paper. Error correction M (15 %): a slip may be folded or smudged.
 */
export function QrCode({ text, label, class: className }: { text: string; label: string; class?: string }) {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  let d = '';
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) if (qr.isDark(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
  }
  const size = n + 2 * quiet;
  return (
    <svg class={className} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
