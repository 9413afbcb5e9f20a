//! From a name as written to the tokens the matcher compares, and the ways two tokens can be
//! the same name: spelling variants (the 1947 and 1972 Indonesian reforms, common Arabic and
//! Chinese romanisations), the forms and abbreviations of Muhammad, a phonetic skeleton, typos
//! and initials.

/// Words dropped from names before matching: connectors and titles that say nothing about who
/// a person is (bin/binti, al-, honorifics and academic or religious titles).
const IGNORED_WORDS: &[&str] = &[
    "BIN", "BINTI", "BINTE", "BT", "BTE", "BN", "AL", "EL", "VAN", "H", "HJ", "HAJI", "HAJJAH", "HAJAH",
    "DR", "DRS", "DRA", "IR", "PROF", "SH", "SE", "MM", "MBA", "SPD", "SKOM", "ST", "SAG", "MSI", "MPD",
    "TUAN", "NYONYA", "NY", "SDR", "SDRI", "BAPAK", "IBU", "MR", "MRS", "MS", "MISS",
];

/// Abbreviations of Muhammad (after dots are dropped). A lone `M` is an initial, not here.
const MUHAMMAD_ABBREVIATIONS: &[&str] = &[
    "MOH", "MOCH", "MUH", "MUCH", "MOHD", "MUHD", "MOCHD", "MHD", "MD", "MHMD", "MOHMD", "MUHAM", "MOHAM",
    "MOEH", "MOCHAM", "MUHAMM", "MOHAMM",
];

/// Tokens so common among Indonesian names that matching them says little; they weigh half.
const COMMON_TOKENS: &[&str] = &[
    "MUHAMAD",
    "SITI",
    "NUR",
    "ABD",
    "AHMAD",
    "DEWI",
    "SRI",
    "PUTRI",
    "PUTRA",
    "NURUL",
    "AGUS",
    "BUDI",
    "EKA",
    "DWI",
    "TRI",
    "ANDI",
    "WAYAN",
    "MADE",
    "KADEK",
    "KETUT",
    "NYOMAN",
    "PUTU",
    "GEDE",
    "NI",
    "I",
    "LUH",
    "KOMANG",
    "RADEN",
    "ADI",
    "INDAH",
    "RATNA",
    "SARI",
    "WATI",
    "YANTI",
    "DIAN",
    "RINA",
    "HADI",
    "SANTOSO",
    "WIJAYA",
    "KURNIAWAN",
    "SETIAWAN",
    "HIDAYAT",
    "RAHMAN",
    "RAHMAT",
    "ALI",
    "HASAN",
];

/// Groups of spellings of one name, beyond what the letter rules give: Chinese surnames in
/// Hokkien, Hakka, Cantonese, Mandarin and Dutch-era Indonesian spellings, and Arabic names
/// whose vowels differ. Each group's first spelling names the group.
const NAME_GROUPS: &[&[&str]] = &[
    &["CHEN", "TAN", "TJHIN", "CHIN", "TAN", "TANG"],
    &["LIN", "LIM", "LIEM", "LAM"],
    &["HUANG", "OEI", "WEE", "UI", "WONG", "NG", "BONG", "OOI"],
    &["GUO", "KWEE", "KWE", "KUO", "KWIK", "QUEK", "KOK"],
    &["CAI", "TJOA", "CHUA", "CUA", "TSAI", "CHOA", "CHOI"],
    &["WU", "GO", "GOH", "NGO", "GOUW", "GOW"],
    &["XU", "KHO", "KHOO", "HSU", "KOH", "KHOE"],
    &["LI", "LIE", "LEE", "LY", "LIE"],
    &["WANG", "ONG", "HENG"],
    &["LIAO", "LIAUW", "LIAW", "LIOE"],
    &["ZHENG", "THE", "TEH", "TEE", "CHENG", "TJENG"],
    &["XIE", "SIE", "SIEH", "SEAH", "TJIA", "CHIA"],
    &["YE", "YAP", "JAP", "YEH", "IP"],
    &["LIU", "LAU", "LAUW", "LAO"],
    &["ZHANG", "TEO", "TEOH", "THIO", "TIO", "CHANG", "CHEONG"],
    &["HE", "HO", "HOO", "HOA"],
    &["SU", "SOH", "SO", "SOE"],
    &["ZHOU", "TJIOE", "CHIEW", "CHOW", "CHOU", "JOE"],
    &["NUR", "NOOR", "NOR", "NOER", "NOUR"],
    &["YUSUF", "YUSOF", "YOUSEF", "YUSUP", "YOSEF", "JOESOEF", "YOUSUF"],
    &["HUSEIN", "HUSAIN", "HUSSEIN", "HUSSAIN", "HUSIN", "HOESEIN", "HOSSEIN"],
    &["AHMAD", "AHMED", "ACHMAD", "AHMET", "AHMAT", "ACHMED"],
    &["UMAR", "OMAR", "OEMAR", "UMMAR"],
    &["USMAN", "OSMAN", "UTSMAN", "OESMAN", "OTHMAN", "USMAN"],
    &["IBRAHIM", "IBRAHEEM", "EBRAHIM"],
    &["ISMAIL", "ISMAEL", "ISMA'IL"],
    &["MAHMUD", "MAHMOUD", "MACHMUD", "MAHMOOD", "MACHMOED"],
    &["MUSTAFA", "MUSTOFA", "MOESTOFA", "MOSTAFA", "MUSTAPHA"],
    &["ZAINAL", "ZAENAL", "ZAINUL", "ZAINAL"],
    &["ZAINUDIN", "ZAENUDIN", "ZAINUDDIN", "ZAINUDDIN"],
    &["SYARIF", "SHARIF", "SJARIF", "SYARIEF", "SHAREEF", "SARIP"],
    &["SYAMSUL", "SHAMSUL", "SJAMSOEL", "SAMSUL", "SYAMSOEL"],
    &["ABUBAKAR", "ABUBAKR", "ABOEBAKAR"],
    &["FATIMAH", "FATIMA", "FATMAH", "FATMA"],
    &["KHADIJAH", "HADIJAH", "KHADIJA", "CHADIJAH", "KHADIDJAH"],
    &["AISYAH", "AISHAH", "AISAH", "AISYA", "AISHA", "AYSHA", "AISJAH"],
    &["YAHYA", "JAHJA", "YAHYA"],
    &["ISA", "ISSA", "EISA"],
    &["YAKUB", "YAQUB", "JAKOEB", "YAACOB", "YAAKOB"],
    &["SULAIMAN", "SOELAIMAN", "SULEIMAN", "SULAEMAN", "SOLEMAN", "SULEMAN"],
    &["RAHMAN", "RACHMAN", "RAHMAN"],
    &["HAMID", "HAMEED", "CHAMID"],
    &["DAUD", "DAWUD", "DAWOOD", "DAOED", "DAUDD"],
    &["SALEH", "SOLEH", "SHALEH", "SHOLEH", "SALIH", "SHALIH", "SOLIH", "SJOLEH"],
    &["MUHAMAD"],
];

/// How one query token was found to be the same name as a listed token, best first.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenMatch {
    Exact,
    /// The same name in another spelling: the 1947/1972 reforms, a romanisation, doubled
    /// letters, a form of Muhammad, or two words written as one.
    SpellingVariant,
    /// An abbreviation of the name (`Moh.`, `Mohd`, `Abd.` …).
    Abbreviation,
    /// The same consonants in the same order, with other vowels.
    Phonetic,
    /// One or two letters typed or read wrong, missing, extra or swapped.
    Typo,
    /// A single letter standing for the name.
    Initial,
}

impl TokenMatch {
    /// How much a match of this kind counts, between 0 and 1.
    pub fn similarity(self, edits: u8) -> f32 {
        match self {
            TokenMatch::Exact => 1.0,
            TokenMatch::SpellingVariant => 0.96,
            TokenMatch::Abbreviation => 0.9,
            TokenMatch::Phonetic => 0.86,
            TokenMatch::Typo => match edits {
                0 | 1 => 0.84,
                2 => 0.74,
                _ => 0.66,
            },
            TokenMatch::Initial => 0.7,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TokenMatch::Exact => "exact",
            TokenMatch::SpellingVariant => "spelling_variant",
            TokenMatch::Abbreviation => "abbreviation",
            TokenMatch::Phonetic => "phonetic",
            TokenMatch::Typo => "typo",
            TokenMatch::Initial => "initial",
        }
    }
}

/// Splits a name as written (any case, diacritics, punctuation, `<` as in a machine-readable
/// zone) into upper-case A–Z tokens, dropping connectors and titles. Characters with no Latin
/// transliteration are dropped.
pub fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in
        name.split(|c: char| c.is_whitespace() || matches!(c, '<' | '-' | ',' | '.' | '/' | '(' | ')' | '_'))
    {
        if word.is_empty() {
            continue;
        }
        let latin = latin_upper(word);
        if latin.is_empty() || IGNORED_WORDS.contains(&latin.as_str()) {
            continue;
        }
        out.push(latin);
    }
    out
}

fn latin_upper(word: &str) -> String {
    if let Ok(t) = gapura_mrtd::mrz::transliterate(word) {
        return t.chars().filter(char::is_ascii_uppercase).collect();
    }
    // Transliterate character by character, dropping what has no Latin form.
    let mut out = String::new();
    for c in word.chars() {
        if let Ok(t) = gapura_mrtd::mrz::transliterate(&c.to_string()) {
            out.extend(t.chars().filter(char::is_ascii_uppercase));
        }
    }
    out
}

/// The forms of one token that count as the same name under the spelling rules: at most
/// `VARIANTS_MAX` canonical spellings (a token with ambiguous letters has more than one).
pub const VARIANTS_MAX: usize = 8;

/// A token's description: its canonical spellings, whether it is Muhammad (in full or
/// abbreviated), an initial, a common name, and its phonetic skeleton.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub raw: String,
    pub variants: Vec<String>,
    pub phonetic: String,
    pub initial: bool,
    pub abbreviation_of: Option<&'static str>,
    pub common: bool,
}

impl TokenInfo {
    pub fn new(raw: &str) -> TokenInfo {
        let initial = raw.len() == 1;
        let mut abbreviation_of = None;
        let variants = if let Some(group) = name_group(raw) {
            let mut v = vec![format!("#{group}")];
            v.extend(spelling_variants(raw));
            v
        } else if is_muhammad(raw) {
            vec!["#MUHAMAD".to_owned()]
        } else if MUHAMMAD_ABBREVIATIONS.contains(&raw) {
            abbreviation_of = Some("#MUHAMAD");
            vec![raw.to_owned()]
        } else if let Some(v) = abd_prefix(&collapse_doubles(raw)) {
            spelling_variants(&v)
        } else {
            spelling_variants(raw)
        };
        let common = variants.iter().any(|v| COMMON_TOKENS.contains(&v.trim_start_matches('#')));
        let phonetic = phonetic(variants.first().map(String::as_str).unwrap_or(raw));
        TokenInfo { raw: raw.to_owned(), variants, phonetic, initial, abbreviation_of, common }
    }

    /// Whether another token with the same phonetic skeleton is a phonetic match: only when
    /// the skeleton has enough consonants to say something.
    pub(crate) fn sound_matches(&self) -> bool {
        consonants(&self.phonetic) >= 3
    }

    /// The spellings `compare` tries as typos of each other (the token as written first, then
    /// its other canonical spellings), each as its `Sketch`.
    pub(crate) fn typo_sketches(&self) -> Vec<Sketch> {
        let mut out: Vec<Sketch> = Vec::new();
        for v in std::iter::once(&self.raw).chain(self.variants.iter().filter(|v| !v.starts_with('#'))) {
            let s = Sketch::of(v);
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// The first letters this token can stand for as an initial.
    fn first_letters(&self) -> impl Iterator<Item = char> + '_ {
        std::iter::once(self.raw.chars().next().unwrap_or(' '))
            .chain(self.variants.iter().filter_map(|v| v.trim_start_matches('#').chars().next()))
    }

    /// Whether `self` (a query token) and `other` (a listed token) are the same name, and how.
    /// Returns the kind and, for typos, the number of edits.
    pub fn compare(&self, other: &TokenInfo) -> Option<(TokenMatch, u8)> {
        if self.raw == other.raw {
            return Some((TokenMatch::Exact, 0));
        }
        if self.initial || other.initial {
            let (i, full) = if self.initial { (self, other) } else { (other, self) };
            if full.initial {
                return None;
            }
            let c = i.raw.chars().next()?;
            return full.first_letters().any(|f| f == c).then_some((TokenMatch::Initial, 0));
        }
        if self.variants.iter().any(|v| other.variants.contains(v)) {
            return Some((TokenMatch::SpellingVariant, 0));
        }
        if self.abbreviation_of.is_some() && self.abbreviation_of == other.abbreviation_of {
            return Some((TokenMatch::Abbreviation, 0));
        }
        if let Some(a) = self.abbreviation_of {
            if other.variants.iter().any(|v| v == a) || other.variants.iter().any(|v| v.starts_with(a)) {
                return Some((TokenMatch::Abbreviation, 0));
            }
        }
        if let Some(a) = other.abbreviation_of {
            if self.variants.iter().any(|v| v == a) || self.variants.iter().any(|v| v.starts_with(a)) {
                return Some((TokenMatch::Abbreviation, 0));
            }
        }
        if self.variants.iter().chain(&other.variants).any(|v| v == "#MUHAMAD") {
            // Muhammad matches only its own forms, or a typo of one of them (not Mahmud).
            return typo(&self.raw, &other.raw);
        }
        if self.phonetic == other.phonetic && self.sound_matches() {
            return Some((TokenMatch::Phonetic, 0));
        }
        let mut best: Option<(TokenMatch, u8)> = typo(&self.raw, &other.raw);
        for a in self.variants.iter().filter(|v| !v.starts_with('#')) {
            for b in other.variants.iter().filter(|v| !v.starts_with('#')) {
                if let Some(t) = typo(a, b) {
                    if best.is_none_or(|(_, e)| t.1 < e) {
                        best = Some(t);
                    }
                }
            }
        }
        best
    }
}

/// A typo: edits allowed grow with the length of the shorter token (none under 5 letters,
/// one from 5, two from 6). Two edits in a word of 6 or 7 letters count less (reported with
/// `edits` 3). A different first letter counts only from 6 letters, or when the first two
/// letters are swapped.
fn typo(a: &str, b: &str) -> Option<(TokenMatch, u8)> {
    typo_of_bytes(a.as_bytes(), b.as_bytes())
}

/// The shortest spellings in which `typo` allows an edit.
const TYPO_LETTERS_MIN: u16 = 5;

fn typo_of_bytes(x: &[u8], y: &[u8]) -> Option<(TokenMatch, u8)> {
    typo_by(x, y, |allowed| damerau_levenshtein(x, y, allowed))
}

/// `typo`, with the distance of the two spellings, if at most `allowed`, from `distance`.
fn typo_by(x: &[u8], y: &[u8], distance: impl FnOnce(usize) -> Option<usize>) -> Option<(TokenMatch, u8)> {
    let shorter = x.len().min(y.len());
    if shorter < usize::from(TYPO_LETTERS_MIN) {
        return None;
    }
    let allowed = if shorter == usize::from(TYPO_LETTERS_MIN) { 1 } else { 2 };
    if x.len().abs_diff(y.len()) > allowed {
        return None;
    }
    let swapped_start = x.len() > 1 && y.len() > 1 && x[0] == y[1] && x[1] == y[0];
    if x[0] != y[0] && shorter < 6 && !swapped_start {
        // Budi/Rudi, Santi/Yanti: a different first letter in a short name is another name.
        return None;
    }
    match distance(allowed)? {
        0 => None,
        1 => Some((TokenMatch::Typo, 1)),
        _ if shorter >= 8 => Some((TokenMatch::Typo, 2)),
        _ => Some((TokenMatch::Typo, 3)),
    }
}

/// A spelling as the phonetic buckets keep it: its length, how many times each letter occurs
/// in it, and the spelling itself when it is short (as most are), so that the typos of a
/// query token among the thousands of tokens of a short skeleton are found without visiting
/// each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Sketch {
    len: u16,
    text: [u8; SKETCH_TEXT_MAX],
    /// Occurrences of each byte, by its low five bits (A–Z apart), at most 255.
    counts: [u8; 32],
}

/// Spellings up to this many bytes are kept whole in their `Sketch`.
const SKETCH_TEXT_MAX: usize = 14;

impl Sketch {
    pub fn of(s: &str) -> Sketch {
        let b = s.as_bytes();
        let mut text = [0u8; SKETCH_TEXT_MAX];
        if b.len() <= SKETCH_TEXT_MAX {
            text[..b.len()].copy_from_slice(b);
        }
        let mut counts = [0u8; 32];
        for c in b {
            let n = &mut counts[usize::from(c & 31)];
            *n = n.saturating_add(1);
        }
        Sketch { len: u16::try_from(b.len()).unwrap_or(u16::MAX), text, counts }
    }

    pub fn len(&self) -> u16 {
        self.len
    }

    /// The shortest and longest spellings that may be typos of one of these, if any may.
    pub fn typo_lengths(of: &[Sketch]) -> Option<(u16, u16)> {
        let long = of.iter().filter(|s| s.len >= TYPO_LETTERS_MIN);
        let shortest = long.clone().map(|s| (s.len - 2).max(TYPO_LETTERS_MIN)).min()?;
        let longest = long.map(|s| s.len.saturating_add(2)).max()?;
        Some((shortest, longest))
    }

    /// False only when `typo` is `None` for the two spellings, by their lengths and letters:
    /// `typo` allows one edit between spellings of 5 letters, two from 6, and each edit
    /// (a letter changed, added, dropped, or two swapped) changes by at most one how many
    /// letters, counting repeats, either spelling has beyond the other.
    fn quickly_may_be_typo(&self, other: &Sketch) -> bool {
        let shorter = self.len.min(other.len);
        if shorter < TYPO_LETTERS_MIN {
            return false;
        }
        let allowed = if shorter == TYPO_LETTERS_MIN { 1 } else { 2 };
        let more = |a: &[u8; 32], b: &[u8; 32]| -> u32 {
            a.iter().zip(b).map(|(x, y)| u32::from(x.saturating_sub(*y))).sum()
        };
        self.len.abs_diff(other.len) <= allowed
            && more(&self.counts, &other.counts) <= u32::from(allowed)
            && more(&other.counts, &self.counts) <= u32::from(allowed)
    }

    /// Whether `typo` finds the two spellings typos of each other, when both are kept whole.
    pub fn is_typo_of(&self, other: &Sketch) -> bool {
        match (self.text(), other.text()) {
            (Some(a), Some(b)) => typo_of_bytes(a, b).is_some(),
            _ => false,
        }
    }

    fn text(&self) -> Option<&[u8]> {
        (usize::from(self.len) <= SKETCH_TEXT_MAX).then(|| &self.text[..usize::from(self.len)])
    }
}

/// A query's spelling prepared to be tried as a typo of many others: the table of where each
/// byte stands in it, which the bit-vector distance needs, built once instead of for each.
pub(crate) struct TypoProbe {
    sketch: Sketch,
    positions: Option<Box<[u64; 256]>>,
}

impl TypoProbe {
    pub fn new(sketch: Sketch) -> TypoProbe {
        let positions = sketch.text().map(|t| {
            let mut p = Box::new([0u64; 256]);
            for (i, c) in t.iter().enumerate() {
                p[usize::from(*c)] |= 1 << i;
            }
            p
        });
        TypoProbe { sketch, positions }
    }

    /// `typo` between this spelling and `other`, when both are kept whole.
    fn typo(&self, other: &Sketch) -> Option<Option<(TokenMatch, u8)>> {
        let (Some(a), Some(b), Some(p)) = (self.sketch.text(), other.text(), &self.positions) else {
            return None;
        };
        Some(typo_by(a, b, |allowed| {
            let d = osa_bits(a.len(), b, |c| p[usize::from(c)]);
            (d <= allowed).then_some(d)
        }))
    }

    /// False only when `typo` is `None` for this spelling and `other`; when both are kept
    /// whole, `typo` itself decides.
    pub fn may_be_typo(&self, other: &Sketch) -> bool {
        if !self.sketch.quickly_may_be_typo(other) {
            return false;
        }
        self.typo(other).is_none_or(|t| t.is_some())
    }

    /// As `Sketch::is_typo_of`.
    pub fn is_typo_of(&self, other: &Sketch) -> bool {
        self.typo(other).is_some_and(|t| t.is_some())
    }
}

fn collapse_doubles(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

fn name_group(raw: &str) -> Option<&'static str> {
    NAME_GROUPS.iter().find(|g| g.contains(&raw)).map(|g| g[0])
}

/// Full forms of Muhammad: M + (U|O|OE|OU) + optional (C)H/KH + A|E + M or MM + A|E|U + D|T.
pub fn is_muhammad(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    let eat = |i: &mut usize, s: &str| {
        if b[*i..].starts_with(s.as_bytes()) {
            *i += s.len();
            true
        } else {
            false
        }
    };
    if !eat(&mut i, "M") {
        return false;
    }
    if !(eat(&mut i, "OE") || eat(&mut i, "OU") || eat(&mut i, "U") || eat(&mut i, "O")) {
        return false;
    }
    let _ = eat(&mut i, "CH") || eat(&mut i, "KH") || eat(&mut i, "HH") || eat(&mut i, "H");
    if !(eat(&mut i, "A") || eat(&mut i, "E")) {
        return false;
    }
    if !(eat(&mut i, "MM") || eat(&mut i, "M")) {
        return false;
    }
    if !(eat(&mut i, "A") || eat(&mut i, "E") || eat(&mut i, "U")) {
        return false;
    }
    if !(eat(&mut i, "D") || eat(&mut i, "T")) {
        return false;
    }
    i == b.len()
}

/// `Abdul`, `Abdur`, `Abdus`, `Abdoel`, `Abd` … at the start of a word: Arabic `ʿabd al-`,
/// whose article is written in full, assimilated to the next letter (Abdurrahman) or not at
/// all. Returns the word with the prefix and article written `ABD`, so that Abdul Rahman
/// joined, Abdurrahman and Abd. Rahman joined all read `ABDRAHMAN`.
fn abd_prefix(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix("ABD")?;
    let rest = ["OE", "U", "E", "A"].iter().find_map(|v| rest.strip_prefix(v)).unwrap_or(rest);
    let b = rest.as_bytes();
    let article = b.first() == Some(&b'L');
    let assimilated = b.len() >= 2 && b[0] == b[1] && !b"AEIOU".contains(&b[0]);
    let rest = if article || assimilated { &rest[1..] } else { rest };
    Some(format!("ABD{rest}"))
}

/// Canonical spellings under the Indonesian spelling reforms and common romanisations.
/// Old (pre-1972) spellings become new ones: oe→u, dj→j, tj→c, nj→ny, sj→sy, ch→kh (or c,
/// as in Chandra), and an old j is a new y. Doubled letters collapse, kh and h are one, and
/// some Arabic transliterations are unified (dh→d, th→t, sh→sy, q→k, ee→i, oo→u, ou→u, ae→ai,
/// ei→ai, final y→i, final ah→a, v→f).
pub fn spelling_variants(raw: &str) -> Vec<String> {
    let mut s = raw.to_owned();
    for (from, to) in [
        ("OE", "U"),
        ("OU", "U"),
        ("OO", "U"),
        ("EE", "I"),
        ("DJ", "#"),
        ("TJ", "C"),
        ("NJ", "NY"),
        ("SJ", "SY"),
    ] {
        s = s.replace(from, to);
    }
    s = s.replace("SH", "SY").replace("DH", "D").replace("TH", "T").replace('Q', "K").replace('V', "F");
    s = s.replace("AE", "AI").replace("EI", "AI").replace("IE", "I");
    // CH is kh (Chairul) or c (Chandra); J is an old y or a new j.
    let mut forms = vec![String::new()];
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let options: &[&str] = if c == b'C' && bytes.get(i + 1) == Some(&b'H') {
            i += 1;
            &["H", "C"]
        } else if c == b'K' && bytes.get(i + 1) == Some(&b'H') {
            i += 1;
            &["H"]
        } else if c == b'J' {
            &["Y", "J"]
        } else if c == b'#' {
            &["J"]
        } else {
            forms.iter_mut().for_each(|f| f.push(c as char));
            i += 1;
            continue;
        };
        if forms.len() * options.len() > VARIANTS_MAX {
            forms.iter_mut().for_each(|f| f.push_str(options[0]));
        } else {
            forms = forms.iter().flat_map(|f| options.iter().map(move |o| format!("{f}{o}"))).collect();
        }
        i += 1;
    }
    let mut out: Vec<String> = forms.into_iter().map(|f| finish(&f)).collect();
    // The Arabic article written joined to the name (Alkathiri, Elhabsyi) is also read
    // without it, as it is when written apart (Al-Kathiri) and dropped as a word.
    let stripped: Vec<String> = out
        .iter()
        .filter_map(|v| v.strip_prefix("AL").or_else(|| v.strip_prefix("EL")))
        .filter(|r| r.len() >= 5)
        .map(str::to_owned)
        .collect();
    out.extend(stripped);
    let mut seen = Vec::with_capacity(out.len());
    for v in out {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen
}

fn finish(s: &str) -> String {
    let mut out = collapse_doubles(s);
    if out.len() > 3 && out.ends_with('Y') {
        out.pop();
        out.push('I');
    }
    if out.len() > 4 && out.ends_with("AH") {
        out.pop();
    }
    out
}

/// A phonetic skeleton: the first letter, then the consonants with similar sounds merged
/// (b/p, d/t, f/p/v, z/s/j, k/g/q), vowels, h, w and y dropped, repeats collapsed.
pub fn phonetic(canonical: &str) -> String {
    let s = canonical.trim_start_matches('#');
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        let k = match c {
            'A' | 'E' | 'I' | 'O' | 'U' if i == 0 => 'A',
            'A' | 'E' | 'I' | 'O' | 'U' | 'H' | 'W' | 'Y' => continue,
            'B' | 'P' | 'F' | 'V' => 'P',
            'D' | 'T' => 'T',
            'Z' | 'S' => 'S',
            'G' | 'K' | 'Q' => 'K',
            other => other,
        };
        if out.ends_with(k) {
            continue;
        }
        out.push(k);
    }
    out
}

fn consonants(p: &str) -> usize {
    p.chars().filter(|c| *c != 'A').count()
}

/// Optimal-string-alignment distance (adjacent transpositions count one), or `None` when above
/// `max`.
pub fn damerau_levenshtein(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let d = if a.len() <= 64 { osa_bit_parallel(a, b) } else { return osa_table(a, b, max) };
    (d <= max).then_some(d)
}

/// The distance by Hyyrö's bit-vector algorithm (2003), for `a` of at most 64 bytes: one
/// column of the table as bits of a word, a few word operations per byte of `b`. This runs
/// for every pair of spellings a query token is compared with.
fn osa_bit_parallel(a: &[u8], b: &[u8]) -> usize {
    osa_bits(a.len(), b, |c| a.iter().enumerate().fold(0u64, |bits, (i, x)| bits | u64::from(*x == c) << i))
}

/// The bit-vector distance between a word of `m` bytes (at most 64) and `b`, given where each
/// byte stands in the word (bit `i` of `positions(c)` set when its byte `i` is `c`).
fn osa_bits(m: usize, b: &[u8], positions: impl Fn(u8) -> u64) -> usize {
    if m == 0 {
        return b.len();
    }
    let top = 1u64 << (m - 1);
    let mut vp: u64 = u64::MAX >> (64 - m);
    let mut vn: u64 = 0;
    let mut d0: u64 = 0;
    let mut pm_prev: u64 = 0;
    let mut d = m;
    for &c in b {
        let pm = positions(c);
        let transposed = ((!d0 & pm) << 1) & pm_prev;
        d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | transposed;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & top != 0 {
            d += 1;
        } else if hn & top != 0 {
            d -= 1;
        }
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_prev = pm;
    }
    d
}

/// The distance by the table, row by row, giving up once a whole row is above `max`.
fn osa_table(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] <= max).then_some(prev[m])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> Option<TokenMatch> {
        TokenInfo::new(a).compare(&TokenInfo::new(b)).map(|m| m.0)
    }

    #[test]
    fn tokens_drop_titles_connectors_and_punctuation() {
        assert_eq!(tokens("Drs. H. Moh. Rizal bin Abd. Rahman"), ["MOH", "RIZAL", "ABD", "RAHMAN"]);
        assert_eq!(tokens("SUKARNO<<"), ["SUKARNO"]);
        assert_eq!(tokens("Nur'aini Al-Habsyi"), ["NURAINI", "HABSYI"]);
        assert_eq!(tokens("Šárka Øberg"), ["SARKA", "OEBERG"]);
    }

    #[test]
    fn spelling_reforms_are_variants() {
        for (a, b) in [
            ("SOEHARTINI", "SUHARTINI"),
            ("SOEDJATMIKO", "SUJATMIKO"),
            ("TJAHJADI", "CAHYADI"),
            ("SOERABAJA", "SURABAYA"),
            ("CHAIRUL", "KHAIRUL"),
            ("CHANDRA", "CANDRA"),
            ("NJOMAN", "NYOMAN"),
            ("SJAHRIR", "SYAHRIR"),
            ("RIZKY", "RIZKI"),
            ("ABDURRAHMAN", "ABDULRAHMAN"),
            ("TAN", "CHEN"),
            ("LIEM", "LIM"),
        ] {
            assert_eq!(same(a, b), Some(TokenMatch::SpellingVariant), "{a} {b}");
        }
    }

    #[test]
    fn muhammad_forms_and_abbreviations() {
        for f in
            ["MUHAMMAD", "MUHAMAD", "MOHAMMAD", "MOHAMMED", "MOCHAMAD", "MOEHAMMAD", "MUCHAMMAD", "MOHAMED"]
        {
            assert!(is_muhammad(f), "{f}");
            assert!(same(f, "MUHAMMAD").unwrap_or(TokenMatch::Exact) <= TokenMatch::SpellingVariant);
        }
        for a in ["MOH", "MOHD", "MUH", "MOCH", "MHD"] {
            assert_eq!(same(a, "MUHAMMAD"), Some(TokenMatch::Abbreviation), "{a}");
        }
        assert_eq!(same("M", "MOCHAMAD"), Some(TokenMatch::Initial));
        assert!(!is_muhammad("MAHMUD"));
        assert_eq!(same("MUHAMMAD", "MAHMUD"), None);
    }

    #[test]
    fn typos_need_length_and_short_names_differ() {
        assert_eq!(same("PRATAMA", "PRATMAA"), Some(TokenMatch::Phonetic));
        assert_eq!(same("PRATAMA", "PRATANA"), Some(TokenMatch::Typo));
        assert_eq!(same("KURNIAWAN", "KURNAIWAM"), Some(TokenMatch::Typo));
        assert_eq!(same("SARI", "SARA"), None);
        assert_eq!(same("BUDI", "RUDI"), None);
        assert_eq!(same("YANTI", "SANTI"), None);
    }

    /// A word of a small alphabet, and the same word after up to three edits (a letter
    /// changed, added, dropped, or two swapped), so that pairs are often typos of each other.
    fn word_and_typo() -> impl proptest::strategy::Strategy<Value = (String, String)> {
        use proptest::prelude::*;
        let word = proptest::string::string_regex("[AHINSY]{0,18}").expect("a valid pattern");
        let edits = proptest::collection::vec((0u8..4, any::<proptest::sample::Index>(), 0usize..6), 0..4);
        (word, edits).prop_map(|(w, edits)| {
            let mut b = w.clone().into_bytes();
            for (kind, at, letter) in edits {
                let letter = b"AHINSY"[letter];
                let i = at.index(b.len() + 1);
                match kind {
                    0 if i < b.len() => b[i] = letter,
                    1 => b.insert(i, letter),
                    2 if i < b.len() => {
                        b.remove(i);
                    }
                    3 if i + 1 < b.len() => b.swap(i, i + 1),
                    _ => {}
                }
            }
            (w, String::from_utf8(b).expect("ASCII"))
        })
    }

    proptest::proptest! {
        #[test]
        fn the_bit_vector_distance_is_the_table_distance((a, b) in word_and_typo(), max in 0usize..4) {
            let (a, b) = (a.as_bytes(), b.as_bytes());
            proptest::prop_assert_eq!(Some(osa_bit_parallel(a, b)), osa_table(a, b, usize::MAX));
            let by_table = if a.len().abs_diff(b.len()) > max { None } else { osa_table(a, b, max) };
            proptest::prop_assert_eq!(damerau_levenshtein(a, b, max), by_table);
        }

        #[test]
        fn sketches_never_rule_out_a_typo((a, b) in word_and_typo()) {
            let (x, y) = (Sketch::of(&a), Sketch::of(&b));
            let whole = x.text().is_some() && y.text().is_some();
            let probe = TypoProbe::new(x);
            let decided = if whole { typo(&a, &b).is_some() } else { x.quickly_may_be_typo(&y) };
            proptest::prop_assert_eq!(probe.may_be_typo(&y), decided);
            proptest::prop_assert_eq!(probe.is_typo_of(&y), whole && typo(&a, &b).is_some());
            proptest::prop_assert_eq!(x.is_typo_of(&y), whole && typo(&a, &b).is_some());
            if typo(&a, &b).is_some() {
                proptest::prop_assert!(x.quickly_may_be_typo(&y));
                let (shortest, longest) = Sketch::typo_lengths(&[x]).expect("a typo needs 5 letters");
                proptest::prop_assert!((shortest..=longest).contains(&y.len()));
            }
        }
    }

    #[test]
    fn long_spellings_are_sketched_without_their_text() {
        let probe = |a: &str| TypoProbe::new(Sketch::of(a));
        assert!(probe("KUSUMAWARDHANI").may_be_typo(&Sketch::of("KUSUMAWARDHANY")));
        let (a, b) = ("KUSUMAWARDHANINGSIH", "KUSUMAWARDHANINGSIX");
        assert!(Sketch::of(a).text().is_none() && probe(a).may_be_typo(&Sketch::of(b)));
        assert!(!probe(a).is_typo_of(&Sketch::of(b)));
        assert!(!probe(a).may_be_typo(&Sketch::of("ABCDEFGHIJKLMNOPQRS")));
    }
}
