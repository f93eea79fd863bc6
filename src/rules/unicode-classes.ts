/**
 * The `\p{…}` names Go's regexp (Go 1.26, the Traefik v3 toolchain, Unicode
 * 15.0) accepts, in its canonical spelling: first letter upper-case, the rest
 * lower-case, without `_`, `-` and spaces. Go looks names up in that form
 * only, so `\p{greek}` and `\p{Letter}` work there, while scripts spelled with
 * an underscore (`\p{Old_Italic}`) and `\p{SignWriting}` can never be found.
 * re2js looks names up as written and also knows binary properties
 * (`\p{Emoji}`) and scripts added after Unicode 15 (`\p{Garay}`).
 */
const specials = ['Any', 'Ascii', 'Assigned', 'Lc']

const categories = [
  'C', 'Cc', 'Cf', 'Cn', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]

/** Go's `unicode.Scripts` keys its lookup can reach (one word, canonical spelling). */
const scripts = `Adlam Ahom Arabic Armenian Avestan Balinese Bamum Batak Bengali Bhaiksuki Bopomofo Brahmi Braille
  Buginese Buhid Carian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret
  Devanagari Dogra Duployan Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gurmukhi
  Han Hangul Hanunoo Hatran Hebrew Hiragana Inherited Javanese Kaithi Kannada Katakana Kawi Kharoshthi Khmer
  Khojki Khudawadi Lao Latin Lepcha Limbu Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean
  Marchen Medefaidrin Miao Modi Mongolian Mro Multani Myanmar Nabataean Nandinagari Newa Nko Nushu Ogham Oriya
  Osage Osmanya Palmyrene Phoenician Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham Sinhala Sogdian
  Soyombo Sundanese Syriac Tagalog Tagbanwa Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh
  Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Yezidi Yi`.split(/\s+/)

/** Go's `unicode.CategoryAliases`, keys canonicalised as Go does. */
const aliases: Readonly<Record<string, string>> = {
  Casedletter: 'LC', Closepunctuation: 'Pe', Combiningmark: 'M', Connectorpunctuation: 'Pc', Control: 'Cc',
  Currencysymbol: 'Sc', Dashpunctuation: 'Pd', Decimalnumber: 'Nd', Enclosingmark: 'Me', Finalpunctuation: 'Pf',
  Format: 'Cf', Initialpunctuation: 'Pi', Letter: 'L', Letternumber: 'Nl', Lineseparator: 'Zl',
  Lowercaseletter: 'Ll', Mark: 'M', Mathsymbol: 'Sm', Modifierletter: 'Lm', Modifiersymbol: 'Sk',
  Nonspacingmark: 'Mn', Number: 'N', Openpunctuation: 'Ps', Other: 'C', Otherletter: 'Lo', Othernumber: 'No',
  Otherpunctuation: 'Po', Othersymbol: 'So', Paragraphseparator: 'Zp', Privateuse: 'Co', Punctuation: 'P',
  Separator: 'Z', Spaceseparator: 'Zs', Spacingmark: 'Mc', Surrogate: 'Cs', Symbol: 'S', Titlecaseletter: 'Lt',
  Unassigned: 'Cn', Uppercaseletter: 'Lu', Cntrl: 'Cc', Digit: 'Nd', Punct: 'P',
}

/** Canonical name → the spelling re2js knows for the same table. */
const known = new Map<string, string>([
  ...[...specials, ...categories, ...scripts].map((name): [string, string] => [name, name]),
  ...Object.entries(aliases),
])

/**
 * The re2js spelling of a `\p{…}` name, or null when Go's regexp does not
 * know the name.
 *
 * @example
 * unicodeClassName('greek') // 'Greek'
 * unicodeClassName('Emoji') // null
 */
export function unicodeClassName(name: string): string | null {
  return known.get(canonicalName(name)) ?? null
}

/**
 * Go's `canonicalName` in regexp/syntax: `Old_Italic` → `Olditalic`, `LC` →
 * `Lc`. Only ASCII letters change case, as in Go (JavaScript would also fold
 * the Kelvin sign to `k`).
 */
function canonicalName(name: string): string {
  const letters = name.replace(/[_\- ]/g, '')
  const rest = letters.slice(1).replace(/[A-Z]/g, (c) => c.toLowerCase())
  return letters.charAt(0).replace(/[a-z]/, (c) => c.toUpperCase()) + rest
}
