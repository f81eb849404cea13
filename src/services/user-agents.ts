/**
 * A person's own words for a browser, from its User-Agent header: "Edge on Windows", "Safari on iPhone". Only for
 * showing someone their signed-in devices; nothing is decided by it.
 */
export function describeUserAgent(ua: string | null): string {
  if (!ua || !ua.trim()) return 'Unknown browser';
  const browser = /\bEdg(e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /\bOPR\/|\bOpera\b/.test(ua)
      ? 'Opera'
      : /\bSamsungBrowser\//.test(ua)
        ? 'Samsung Internet'
        : /\bFirefox\/|\bFxiOS\//.test(ua)
          ? 'Firefox'
          : /\bChrome\/|\bCriOS\/|\bChromium\//.test(ua)
            ? 'Chrome'
            : /\bSafari\//.test(ua) && /\bVersion\//.test(ua)
              ? 'Safari'
              : null;
  const system = /\biPhone\b/.test(ua)
    ? 'iPhone'
    : /\biPad\b/.test(ua)
      ? 'iPad'
      : /\bAndroid\b/.test(ua)
        ? 'Android'
        : /\bCrOS\b/.test(ua)
          ? 'ChromeOS'
          : /\bWindows\b/.test(ua)
            ? 'Windows'
            : /\bMac OS X\b|\bMacintosh\b/.test(ua)
              ? 'macOS'
              : /\bLinux\b/.test(ua)
                ? 'Linux'
                : null;
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  if (system) return `A browser on ${system}`;
  return 'Unknown browser';
}
