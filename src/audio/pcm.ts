/** The nearest 16-bit sample value: rounded, and clipped to −32768..32767 instead of wrapping around. */
export function toInt16(value: number): number {
  return value >= 32767 ? 32767 : value <= -32768 ? -32768 : Math.round(value);
}
