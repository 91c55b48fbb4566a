// Small inline icons (no assets: the CSP allows only 'self'). Decorative: the button carries the name.

const common = {
  className: "icon",
  viewBox: "0 0 24 24",
  width: 20,
  height: 20,
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 1.9,
  strokeLinecap: "round",
  strokeLinejoin: "round",
  "aria-hidden": true,
  focusable: false,
} as const;

export function PencilIcon() {
  return (
    <svg {...common}>
      <path d="M15.2 4.8a2.4 2.4 0 0 1 3.4 3.4L8.4 18.4 4 19.5l1.1-4.4L15.2 4.8Z" />
      <path d="m13.5 6.5 3.4 3.4" />
    </svg>
  );
}

export function EyeIcon() {
  return (
    <svg {...common}>
      <path d="M2.5 12s3.5-6.5 9.5-6.5 9.5 6.5 9.5 6.5-3.5 6.5-9.5 6.5S2.5 12 2.5 12Z" />
      <circle cx="12" cy="12" r="2.8" />
    </svg>
  );
}

export function CloseIcon() {
  return (
    <svg {...common}>
      <path d="M6.5 6.5l11 11M17.5 6.5l-11 11" />
    </svg>
  );
}
