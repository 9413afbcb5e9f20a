//! The console's two languages. Every message is written in both, side by side, so that a
//! message cannot exist in one language only (the macro would not compile).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

macro_rules! messages {
    ($($key:ident => ($id:expr, $en:expr),)*) => {
        /// A message of the console.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum M { $($key,)* }
        impl M {
            pub const ALL: &'static [M] = &[$(M::$key,)*];
            pub fn t(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((M::$key, Lang::Id) => $id, (M::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => ("Gapura — Sistem Informasi Manajemen Keimigrasian", "Gapura — Immigration Management Information System"),
    SkipToContent => ("Lewati ke isi", "Skip to content"),
    Language => ("Bahasa", "Language"),
    SignIn => ("Masuk", "Sign in"),
    SignOut => ("Keluar", "Sign out"),
    Login => ("Nama pengguna", "Login"),
    Password => ("Kata sandi", "Password"),
    LoginFailed => ("Nama pengguna atau kata sandi salah.", "The login or password is wrong."),
    LoginLocked => ("Terlalu banyak percobaan gagal. Coba lagi setelah", "Too many failed attempts. Try again in"),
    Minutes => ("menit", "minutes"),
    DemoLogins => ("Akun demo (hanya untuk demo)", "Demo logins (demo only)"),
    Home => ("Beranda", "Home"),
    Welcome => ("Selamat datang", "Welcome"),
    YourRoles => ("Peran Anda", "Your roles"),
    Role => ("Peran", "Role"),
    Scope => ("Cakupan", "Scope"),
    ServicePoints => ("Tempat layanan", "Service points"),
    Officers => ("Petugas", "Officers"),
    Audit => ("Audit", "Audit"),
    Account => ("Akun saya", "My account"),
    Search => ("Cari", "Search"),
    SearchHint => ("Kode, nama, provinsi atau kota", "Code, name, province or city"),
    Kind => ("Jenis", "Kind"),
    AllKinds => ("Semua jenis", "All kinds"),
    Province => ("Provinsi / negara", "Province / country"),
    AllProvinces => ("Semua provinsi", "All provinces"),
    Code => ("Kode", "Code"),
    Name => ("Nama", "Name"),
    City => ("Kota", "City"),
    Parent => ("Kantor wilayah", "Regional office"),
    TimeZone => ("Zona waktu", "Time zone"),
    Found => ("ditemukan", "found"),
    Previous => ("Sebelumnya", "Previous"),
    Next => ("Berikutnya", "Next"),
    NothingFound => ("Tidak ada hasil.", "Nothing found."),
    PointsUnder => ("Tempat layanan di bawahnya", "Points under it"),
    HomePoint => ("Tempat tugas", "Home point"),
    Status => ("Status", "Status"),
    Active => ("Aktif", "Active"),
    Disabled => ("Nonaktif", "Disabled"),
    NewOfficer => ("Petugas baru", "New officer"),
    InitialPassword => ("Kata sandi awal (min. 12 karakter)", "Initial password (at least 12 characters)"),
    Create => ("Buat", "Create"),
    Grant => ("Berikan peran", "Grant role"),
    Revoke => ("Cabut", "Revoke"),
    Disable => ("Nonaktifkan", "Disable"),
    Enable => ("Aktifkan", "Enable"),
    Reason => ("Alasan", "Reason"),
    Tokens => ("Token API", "API tokens"),
    Label => ("Keterangan", "Label"),
    Days => ("Berlaku (hari)", "Valid for (days)"),
    Expires => ("Berakhir", "Expires"),
    Revoked => ("Dicabut", "Revoked"),
    NewToken => ("Token baru — salin sekarang, tidak akan ditampilkan lagi:", "New token — copy it now, it will not be shown again:"),
    IssueToken => ("Terbitkan token", "Issue token"),
    ChangePassword => ("Ganti kata sandi", "Change password"),
    CurrentPassword => ("Kata sandi saat ini", "Current password"),
    NewPassword => ("Kata sandi baru", "New password"),
    PasswordChanged => ("Kata sandi diganti.", "Password changed."),
    Saved => ("Tersimpan.", "Saved."),
    AuditSearch => ("Pencarian audit", "Audit search"),
    AuditHint => ("Siapa membaca data pribadi siapa, kapan, dari mana.", "Who read whose personal data, when, and from where."),
    Officer => ("Petugas", "Officer"),
    Subject => ("Subjek (mis. officer:sari.w)", "Subject (e.g. officer:sari.w)"),
    From => ("Dari (tanggal/waktu UTC)", "From (date/time UTC)"),
    To => ("Sampai", "To"),
    Time => ("Waktu (UTC)", "Time (UTC)"),
    Address => ("Alamat jaringan", "Network address"),
    Record => ("Catatan", "Record"),
    Refused => ("Akses ditolak", "Access refused"),
    RefusedText => ("Peran Anda tidak mengizinkan halaman atau tindakan ini.", "Your roles do not allow this page or action."),
    NotFound => ("Tidak ditemukan", "Not found"),
    Problem => ("Permintaan tidak dapat diproses", "The request could not be processed"),
    BackHome => ("Kembali ke beranda", "Back to home"),
    Field => ("Isian", "Field"),
    RequestId => ("Nomor permintaan", "Request id"),
    ApiDocs => ("Dokumentasi API", "API documentation"),
    Filter => ("Saring", "Filter"),
    Roles => ("Peran", "Roles"),
    Actions => ("Tindakan", "Actions"),
    SubjectColumn => ("Subjek", "Subject"),
    RolesExplained => ("Peran dan kewenangannya", "Roles and what they allow"),
    Permissions => ("Kewenangan", "Permissions"),
    ScopesExplained => (
        "Setiap peran diberikan untuk satu cakupan: satu tempat layanan (point:KODE), satu wilayah — kantor wilayah dan tempat layanan di bawahnya (region:KODE) — atau nasional (national). Peran hanya dapat diberikan di dalam cakupan pemberinya.",
        "Each role is granted for one scope: one service point (point:CODE), a region — a regional office and the points under it (region:CODE) — or national. A role can only be granted within the granter's own scope."
    ),
    PermAuthenticated => ("akun sendiri", "own account"),
    PermReferenceRead => ("membaca data referensi", "read reference data"),
    PermOfficersRead => ("melihat petugas", "see officers"),
    PermOfficersManage => ("mengelola petugas dan peran", "manage officers and roles"),
    PermAuditRead => ("mencari catatan audit", "search audit records"),
    Route => ("Rute", "Route"),
    PermTravelBansRead => ("melihat cekal", "see travel bans"),
    PermTravelBansManage => ("menerbitkan, memperpanjang dan mencabut cekal", "issue, extend and revoke travel bans"),
    PermScreen => ("memeriksa orang terhadap cekal dan daftar pengawasan", "screen people against travel bans and watchlists"),
    TravelBans => ("Cekal", "Travel bans"),
    TravelBansHint => (
        "Pencegahan melarang keluar dari Indonesia (paling lama 6 bulan, dapat diperpanjang sekali paling lama 6 bulan); pencegahan sementara paling lama 20 hari dan tidak dapat diperpanjang; penangkalan melarang orang asing masuk (paling lama 10 tahun, dapat diperpanjang paling lama 10 tahun setiap kali, atau seumur hidup untuk terorisme dan narkotika). Keputusan yang tidak diperpanjang berakhir sendiri setelah hari terakhirnya.",
        "Prevention forbids leaving Indonesia (at most 6 months, extendable once by at most 6 months); temporary prevention lasts at most 20 days and cannot be extended; deterrence forbids a foreigner to enter (at most 10 years, extendable by at most 10 years each time, or for life for terrorism and narcotics). An order not extended ends by itself after its last day."
    ),
    TravelBanSearchHint => ("Nama atau alias, nomor cekal, nomor keputusan", "Name or alias, order id, decision number"),
    NewOrder => ("Keputusan cekal baru", "New travel-ban order"),
    OrderId => ("Nomor cekal", "Order id"),
    Person => ("Orang yang dikenai", "Person"),
    KindPrevention => ("Pencegahan (dilarang keluar)", "Prevention (no leaving)"),
    KindTemporaryPrevention => ("Pencegahan sementara (20 hari)", "Temporary prevention (20 days)"),
    KindDeterrence => ("Penangkalan (dilarang masuk)", "Deterrence (no entering)"),
    StatusScheduled => ("Terjadwal", "Scheduled"),
    StatusInForce => ("Berlaku", "In force"),
    StatusEnded => ("Berakhir", "Ended"),
    AllStatuses => ("Semua status", "All statuses"),
    TodayWib => ("Status per hari ini (WIB)", "Status as of today (WIB)"),
    Authority => ("Instansi yang memutuskan", "Deciding authority"),
    LegalBasis => ("Dasar hukum", "Legal basis"),
    LegalBasisDefault => ("Dasar hukum (kosong = dasar hukum instansi)", "Legal basis (empty = the authority's)"),
    DecisionNumber => ("Nomor keputusan", "Decision number"),
    DecisionDate => ("Tanggal keputusan", "Decision date"),
    Names => ("Nama lengkap, lalu alias (satu per baris)", "Full name, then aliases (one per line)"),
    Aliases => ("Alias", "Aliases"),
    Sex => ("Jenis kelamin", "Sex"),
    SexM => ("Laki-laki", "Male"),
    SexF => ("Perempuan", "Female"),
    SexX => ("Tidak disebutkan", "Unspecified"),
    PlaceOfBirth => ("Tempat lahir", "Place of birth"),
    DateOfBirth => ("Tanggal lahir (XX bila tidak diketahui)", "Date of birth (XX where unknown)"),
    Nationality => ("Kewarganegaraan (kode 3 huruf)", "Nationality (3-letter code)"),
    Nik => ("NIK", "NIK (national identity number)"),
    Document => ("Dokumen perjalanan", "Travel document"),
    DocumentNumber => ("Nomor dokumen", "Document number"),
    IssuingState => ("Negara penerbit", "Issuing state"),
    DocPassport => ("Paspor", "Passport"),
    DocIdentityCard => ("Kartu identitas", "Identity card"),
    DocVisa => ("Visa", "Visa document"),
    Other => ("Lainnya", "Other"),
    ReasonCategory => ("Kategori alasan", "Reason category"),
    ReasonText => ("Uraian alasan", "Grounds"),
    CatTax => ("Perpajakan", "Tax"),
    CatStateReceivables => ("Piutang negara", "State receivables"),
    CatCriminal => ("Perkara pidana", "Criminal case"),
    CatCorruption => ("Korupsi", "Corruption"),
    CatNarcotics => ("Narkotika", "Narcotics"),
    CatTerrorism => ("Terorisme", "Terrorism"),
    CatImmigrationOffence => ("Pelanggaran keimigrasian", "Immigration offence"),
    CatPublicOrder => ("Ketertiban umum", "Public order"),
    Start => ("Mulai berlaku", "First day"),
    LastDay => ("Hari terakhir", "Last day"),
    LastDayOrLife => ("Hari terakhir (kosong = seumur hidup)", "Last day (empty = for life)"),
    ForLife => ("Seumur hidup", "For life"),
    Period => ("Masa berlaku", "Period"),
    Extensions => ("Perpanjangan", "Extensions"),
    History => ("Riwayat", "History"),
    ActionIssued => ("Diterbitkan", "Issued"),
    ActionExtended => ("Diperpanjang", "Extended"),
    By => ("Oleh", "By"),
    RecordedBy => ("Dicatat oleh", "Recorded by"),
    Issue => ("Terbitkan", "Issue"),
    ExtendOrder => ("Perpanjang keputusan", "Extend the order"),
    NewLastDay => ("Hari terakhir baru", "New last day"),
    RevokeOrder => ("Cabut keputusan", "Revoke the order"),
    RevocationReason => ("Alasan pencabutan", "Reason for revocation"),
    RuleRefused => ("Ditolak menurut aturan", "Refused by a rule"),
    BadInput => ("Isian tidak dapat diterima", "An entry cannot be accepted"),
    Details => ("Keterangan", "Details"),
    Decision => ("Keputusan", "Decision"),
    AsOf => ("per hari ini (WIB)", "as of today (WIB)"),
    BirthDate => ("Tanggal lahir", "Date of birth"),
    Citizenship => ("Kewarganegaraan", "Nationality"),
    Screening => ("Pemeriksaan daftar", "Screening"),
    ScreeningHint => (
        "Periksa pelintas dan dokumennya terhadap keputusan cekal (pencegahan dan penangkalan) serta data Interpol (notice, dokumen perjalanan hilang dan dicuri). Nama dicocokkan dengan ejaan lama dan baru, singkatan Muhammad, nama tunggal, urutan lain, inisial dan salah ketik; setiap kecocokan menjelaskan bidang mana yang cocok dan bagaimana, serta aturan yang berlaku untuk arah perjalanan. Setiap pemeriksaan dicatat sebagai akses data pribadi.",
        "Screen a traveller and their document against travel-ban orders (prevention and deterrence) and Interpol data (notices, stolen and lost travel documents). Names are matched across old and new spellings, forms of Muhammad, single names, other orders, initials and typos; every hit explains which fields matched and how, and which rule applies for the direction of travel. Every screening is recorded as a read of personal data."
    ),
    Surname => ("Nama keluarga (sesuai dokumen)", "Surname (as on the document)"),
    GivenNames => ("Nama depan (sesuai dokumen)", "Given names (as on the document)"),
    Crossing => ("Perlintasan", "Crossing"),
    Direction => ("Arah", "Direction"),
    Entry => ("Kedatangan (masuk)", "Entry"),
    Exit => ("Keberangkatan (keluar)", "Exit"),
    CrossingDate => ("Tanggal perlintasan", "Date of crossing"),
    ScreenAction => ("Periksa", "Screen"),
    EffectStop => ("TIDAK BOLEH MELINTAS — tahan dan rujuk ke pemeriksaan lanjutan", "MAY NOT CROSS — hold and refer to secondary inspection"),
    EffectRefer => ("RUJUK ke pemeriksaan lanjutan", "REFER to secondary inspection"),
    EffectNone => ("Tidak ada larangan untuk perlintasan ini (lihat catatan di bawah)", "Nothing against this crossing (see the listings below)"),
    EffectClear => ("Tidak ada kecocokan dalam daftar", "No match on any list"),
    Hits => ("kecocokan", "hits"),
    WatchlistPosition => ("posisi buku besar", "ledger position"),
    List => ("Daftar", "List"),
    ListTravelBan => ("Keputusan cekal", "Travel-ban order"),
    ListNotice => ("Notice Interpol", "Interpol notice"),
    ListDocument => ("Dokumen hilang/dicuri", "Stolen or lost document"),
    Score => ("Skor", "Score"),
    RuleApplied => ("Aturan", "Rule"),
    Matched => ("Yang cocok", "What matched"),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_differs_between_languages_or_is_a_name() {
        // A message identical in both languages is fine only for words that are the same.
        let same: Vec<_> = M::ALL.iter().filter(|m| m.t(Lang::Id) == m.t(Lang::En)).collect();
        assert!(same.iter().all(|m| matches!(m, M::Audit | M::Status)), "untranslated: {same:?}");
    }
}
