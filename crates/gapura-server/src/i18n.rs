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
