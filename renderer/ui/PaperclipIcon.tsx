/**
 * The paper clip before an attachment's name, drawn as a line icon in the text's colour (the 📎 emoji
 * showed as an empty box where no emoji font is installed, as on many clinic PCs). Decorative: hidden from
 * screen readers, the text beside it says what it is.
 */
export function PaperclipIcon() {
  return (
    <svg
      className="paperclip-icon"
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M10.5 4.5 5.3 9.7a1.6 1.6 0 0 0 2.3 2.3l5.6-5.6a3 3 0 0 0-4.3-4.3L3.3 7.7a4.4 4.4 0 0 0 6.3 6.3l4.1-4.1"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
