//! Command-line arguments. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mamori_model::{Lang, Severity};

#[derive(Parser)]
#[command(
    name = "mamori",
    version,
    about = "医療機関のためのセキュリティ点検ツール / security checks for Japanese hospitals and clinics",
    long_about = "mamori は、厚生労働省・日本医師会の注意喚起が求める対策を、サイトフォルダ（機器台帳・事業者一覧・アカウント一覧など）から自動で点検します。\n\nmamori checks a hospital's or clinic's site folder (device ledger, vendor list, accounts, staff roster, contacts) against the measures the Ministry of Health and the Japan Medical Association ask for."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args)]
pub struct GlobalArgs {
    /// 表示言語 / language of the output
    #[arg(long, global = true, default_value = "ja", value_parser = ["ja", "en"])]
    lang: String,
    /// データベースファイル（既定: ユーザーごとのデータフォルダの mamori/mamori.db）/ database file
    #[arg(long, global = true, value_name = "PATH", env = "MAMORI_DB")]
    pub db: Option<PathBuf>,
    /// ルール ID も表示する / show rule ids in reports for people
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

impl GlobalArgs {
    /// `--lang`.
    pub fn lang(&self) -> Lang {
        if self.lang == "en" {
            Lang::En
        } else {
            Lang::Ja
        }
    }
    /// `--db`, else the per-user default.
    pub fn db_path(&self) -> PathBuf {
        self.db
            .clone()
            .unwrap_or_else(mamori_store::default_db_path)
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// サイトフォルダを点検して報告する / assess a site folder and report
    Assess(AssessArgs),
    /// ログを解析して攻撃の痕跡を探す / hunt through logs (EVTX, syslog)
    Hunt(HuntArgs),
    /// ゲートウェイ（FortiGate・Cisco ASA）の設定を点検する / audit gateway configurations
    #[command(subcommand)]
    Gateway(GatewayCommand),
    /// 脆弱性情報（KEV・NVD・JVN・EPSS）の読み込みと状態 / vulnerability feeds (KEV, NVD, JVN, EPSS)
    #[command(subcommand)]
    Vuln(VulnCommand),
    /// 厚生労働省チェックリストの回答と点検結果の突き合わせ・Excel 出力 / MHLW checklists:
    /// answers next to the checks, exported for the inspection
    Checklist(ChecklistArgs),
    /// 年末年始の休暇前・中・明けの対策チェックリスト / the year-end holiday programme
    Holiday(HolidayArgs),
    /// 点検項目（ルール）の一覧 / list the checks
    Rules,
    /// 記入用の台帳（Excel）と設定ファイルでサイトフォルダを作る / write a ready-to-fill site folder
    Init(InitArgs),
    /// バックアップの保存先を調べる / inspect backup destinations
    #[command(subcommand)]
    Backup(BackupCommand),
    /// サイバー攻撃を受けたときの手順・連絡先・第一報 / when an attack happens
    #[command(subcommand)]
    Incident(IncidentCommand),
    /// ダッシュボード（ブラウザで見る画面）を起動する / start the web dashboard
    Serve(ServeArgs),
    /// ダッシュボードのユーザー / dashboard users
    #[command(subcommand)]
    User(UserCommand),
    /// ダッシュボードの監査ログ / the dashboard's audit log
    Audit(AuditArgs),
    /// syslog を受信して保存し、攻撃を見張る / receive syslog, keep it, detect live
    Watch(WatchArgs),
    /// 不審なメールを調べる（.eml .msg mbox）/ triage suspicious mail (.eml, .msg, mbox)
    #[command(subcommand)]
    Mail(MailCommand),
    /// ブロックリスト（不審なドメイン・IP の一覧）の読み込みと状態 / blocklists of suspicious domains and addresses
    #[command(subcommand)]
    Intel(IntelCommand),
    /// Active Directory のアカウントを読む（site.toml [ad]）/ read accounts from Active Directory
    #[command(subcommand)]
    Ad(AdCommand),
}

#[derive(Subcommand)]
pub enum AdCommand {
    /// 読んだアカウントを台帳と同じ形の CSV に書き出す（見直し用）/ write the accounts read as an accounts-table CSV
    Export(AdExportArgs),
}

#[derive(Args)]
pub struct AdExportArgs {
    /// サイトフォルダ（site.toml の [ad] を使う）/ the site folder (its site.toml [ad])
    pub site_dir: PathBuf,
    /// 書き出すファイル（既定: 標準出力）/ write here (default: standard output)
    #[arg(long, short, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum MailCommand {
    /// メールを 1 通ずつ調べて 危険・注意・問題なし を判定する / judge each mail: dangerous, suspicious, no problem found
    Check(MailCheckArgs),
}

#[derive(Args)]
pub struct MailCheckArgs {
    /// .eml・.msg・mbox のファイル、またはフォルダ / .eml, .msg or mbox files, or folders
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 施設名・ドメイン（site.toml [mail]）・事業者・職員を照合するサイトフォルダ / site folder whose name, domains, vendors and staff are compared
    #[arg(long, value_name = "SITE_DIR")]
    pub site: Option<PathBuf>,
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = HuntFormat::Table)]
    pub format: HuntFormat,
    /// 職員に回覧する注意喚起の文面を出す / print a warning to circulate to staff
    #[arg(long)]
    pub notice: bool,
    /// この重要度以上の指摘があれば終了コード 1 / exit with 1 if a finding at or above this severity exists
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
}

#[derive(Subcommand)]
pub enum IntelCommand {
    /// ブロックリストをデータベースに読み込む（hosts 形式・ドメイン一覧・Maltrail・IP/CIDR）/ load blocklists into the database
    Import(VulnImportArgs),
    /// 読み込み済みのブロックリスト / the loaded blocklists
    Status(IntelStatusArgs),
}

#[derive(Args)]
pub struct IntelStatusArgs {
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = HuntFormat::Table)]
    pub format: HuntFormat,
}

#[derive(Args)]
pub struct WatchArgs {
    /// サイトフォルダ（受信したログは logs/received/ に保存）/ the site folder
    pub site_dir: PathBuf,
    /// UDP で受ける（既定: site.toml [watch]、なければ 127.0.0.1:5514）/ listen on UDP
    #[arg(long)]
    pub syslog_udp: Vec<std::net::SocketAddr>,
    /// TCP で受ける（改行区切り・オクテット数え）/ listen on TCP (newline or octet-counted)
    #[arg(long)]
    pub syslog_tcp: Vec<std::net::SocketAddr>,
    /// TLS（RFC 5425）で受ける / listen on TCP with TLS
    #[arg(long, requires_all = ["tls_cert", "tls_key"])]
    pub syslog_tls: Vec<std::net::SocketAddr>,
    /// TLS 証明書（PEM）/ TLS certificate (PEM)
    #[arg(long)]
    pub tls_cert: Option<PathBuf>,
    /// TLS 秘密鍵（PEM）/ TLS private key (PEM)
    #[arg(long)]
    pub tls_key: Option<PathBuf>,
    /// アラートの表示形式 / how alerts are printed
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

#[derive(Args)]
pub struct ServeArgs {
    /// サイトフォルダ / the site folder
    pub site_dir: PathBuf,
    /// 待ち受けるアドレス（127.0.0.1 以外は TLS が必要）/ listen here (beyond loopback: TLS)
    #[arg(long, default_value = "127.0.0.1:8470")]
    pub listen: std::net::SocketAddr,
    /// TLS 証明書（PEM）/ TLS certificate (PEM)
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS 秘密鍵（PEM）/ TLS private key (PEM)
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// 追加する（パスワードは標準入力から）/ add a user (password on stdin)
    Add(UserAddArgs),
    /// 一覧 / list the users
    List,
    /// 無効にする / disable a user
    Disable { name: String },
    /// パスワードを変える（標準入力から）/ new password (on stdin)
    ResetPassword { name: String },
    /// 確認コード（TOTP）の鍵を作り直す / new TOTP secret
    ResetTotp { name: String },
}

#[derive(Args)]
pub struct UserAddArgs {
    pub name: String,
    /// admin（すべて）・staff（閲覧と記録）・vendor（自社の分だけ）/ what they may do
    #[arg(long)]
    pub role: mamori_model::access::Role,
    /// 事業者一覧の ID（vendor のとき）/ the vendor's id (vendor users)
    #[arg(long)]
    pub vendor: Option<String>,
    /// パスワードを標準入力から読む / read the password from stdin
    #[arg(long, required = true)]
    pub password_stdin: bool,
    /// 確認コード（TOTP）も使う（管理者は常に）/ TOTP for this user too (always for admins)
    #[arg(long)]
    pub totp: bool,
}

#[derive(Args)]
pub struct AuditArgs {
    /// 表示形式 / output format
    #[arg(long, value_enum, default_value_t = HuntFormat::Table)]
    pub format: HuntFormat,
}

#[derive(Subcommand)]
pub enum IncidentCommand {
    /// 印刷して備える対応手順書（最初の 1 時間、連絡先、第一報）/ the printable incident binder
    Report(IncidentReportArgs),
    /// 対応の記録を始める（TEXT: 何が起きたか）/ open an incident (TEXT: what happened)
    Start(IncidentArgs),
    /// 対応を記録する（TEXT: 何をしたか。改ざんは verify で分かります）/ add to the action log
    Log(IncidentArgs),
    /// 証拠のファイル（ログ・脅迫文・設定）を記録し、ログを解析する / record and hunt evidence
    Collect(IncidentArgs),
    /// 記録が改ざんされていないか確かめる / check the action log's hash chain
    Verify(IncidentArgs),
    /// 対応を終える / close the incident
    Close(IncidentArgs),
}

#[derive(Args)]
pub struct IncidentArgs {
    /// サイトフォルダ / the site folder
    pub site_dir: PathBuf,
    /// start・log は内容、collect は証拠のファイル / the text (start, log) or evidence paths
    pub rest: Vec<String>,
    /// 記録する人（既定: ログイン名）/ who (default: the login name)
    #[arg(long)]
    pub by: Option<String>,
}

#[derive(Args)]
pub struct IncidentReportArgs {
    /// サイトフォルダ（台帳に誤りがあっても作ります）/ the site folder (made even with input errors)
    pub site_dir: PathBuf,
    /// 作成日（年末年始の番号に影響）/ the day it is made for
    #[arg(long, value_parser = parse_as_of)]
    pub as_of: Option<jiff::civil::Date>,
    /// text（Markdown）、md、html（印刷用）、json / output format
    #[arg(long, default_value = "text", value_parser = ["text", "md", "html", "json"])]
    pub format: String,
    /// 書き出し先 / write to this file
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum BackupCommand {
    /// 世代・新しさ・暗号化や脅迫文の痕跡を調べる / generations, age, signs of ransomware
    Scan(BackupScanArgs),
}

#[derive(Args)]
pub struct BackupScanArgs {
    /// 保存先のフォルダ（NAS の共有など）/ destination folders or mounted shares
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// バックアップ台帳と設定を使うサイトフォルダ / the site folder (ledger, thresholds)
    #[arg(long)]
    pub site: Option<PathBuf>,
    /// 評価日 / evaluation day
    #[arg(long, value_parser = parse_as_of)]
    pub as_of: Option<jiff::civil::Date>,
    /// 表示形式 / output format
    #[arg(long, value_enum, default_value_t = HuntFormat::Table)]
    pub format: HuntFormat,
    /// 最新のバックアップが何日より古ければ指摘するか（既定 7）/ newest backup older than this
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=36_500))]
    pub max_age: Option<i64>,
    /// 世代がいくつ未満なら指摘するか（既定 3）/ fewer generations than this
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub min_generations: Option<i64>,
}

#[derive(Args)]
pub struct InitArgs {
    /// 作るフォルダ（空か、まだないフォルダ）/ the folder to create (empty or new)
    pub site_dir: PathBuf,
    /// 診療所（clinic）か病院（hospital）/ a clinic or a hospital
    #[arg(long, default_value = "clinic")]
    pub kind: mamori_model::site::SiteKind,
    /// 施設の名前（あとで site.toml でも直せます）/ the institution's name
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Args)]
pub struct AssessArgs {
    /// サイトフォルダ（site.toml と台帳のあるフォルダ）/ the site folder
    pub site_dir: PathBuf,
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = Format::Terminal)]
    pub format: Format,
    /// 出力先ファイル（既定: 標準出力）/ write the report to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// この重要度以上の指摘があれば終了コード 1 / exit with 1 if a finding at or above this severity exists
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// この日付時点で評価する（既定: 今日）/ evaluate as of this date (default: today, Asia/Tokyo)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<jiff::civil::Date>,
    /// 結果をデータベースに記録しない / do not record this run in the database
    #[arg(long)]
    pub no_store: bool,
}

#[derive(Subcommand)]
pub enum GatewayCommand {
    /// 設定のバックアップファイルを点検する（FortiOS・Cisco ASA）/ audit configuration backups (FortiOS, Cisco ASA)
    Audit(GatewayAuditArgs),
}

#[derive(Args)]
pub struct GatewayAuditArgs {
    /// 設定ファイルまたはフォルダ / configuration files or folders
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = HuntFormat::Table)]
    pub format: HuntFormat,
    /// この重要度以上の指摘があれば終了コード 1 / exit with 1 if a finding at or above this severity exists
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
}

#[derive(Subcommand)]
pub enum VulnCommand {
    /// 脆弱性情報のファイルをデータベースに読み込む（.gz 可）/ load feed files into the database (.gz too)
    Import(VulnImportArgs),
    /// 読み込み済みの脆弱性情報と、その古さ / what is loaded and how old it is
    Status(VulnStatusArgs),
    /// 脆弱性情報を HTTPS で取得して読み込む / fetch the feeds over HTTPS and load them
    Update(VulnUpdateArgs),
}

#[derive(Args)]
pub struct VulnImportArgs {
    /// フィードのファイルまたはフォルダ / feed files or folders
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Args)]
pub struct ChecklistArgs {
    /// サイトフォルダ / the site folder
    pub site_dir: PathBuf,
    /// 年度（令和8年度なら 2026。既定: 評価日の年度）/ fiscal year (default: that of --as-of)
    #[arg(long, value_parser = clap::value_parser!(i16).range(2000..=2100))]
    pub fiscal_year: Option<i16>,
    /// 評価日 / evaluate as of this date (default: today in Japan)
    #[arg(long)]
    pub as_of: Option<jiff::civil::Date>,
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = ChecklistFormat::Table)]
    pub format: ChecklistFormat,
    /// 書き出し先（xlsx では必須）/ write to this file (required for xlsx)
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChecklistFormat {
    /// 表 / a table
    Table,
    /// Markdown
    Md,
    /// HTML（印刷用）/ printable HTML
    Html,
    /// JSON
    Json,
    /// Excel ブック（医療機関・BCP・事業者ごとのシート）/ an XLSX workbook
    Xlsx,
}

#[derive(Args)]
pub struct HolidayArgs {
    /// サイトフォルダ / the site folder
    pub site_dir: PathBuf,
    /// 年末年始の年（12 月の年。既定: 評価日に近い年末年始）/ the year the closure starts in
    #[arg(long, value_parser = clap::value_parser!(i16).range(2000..=2100))]
    pub year: Option<i16>,
    /// 評価日 / evaluate as of this date (default: today in Japan)
    #[arg(long)]
    pub as_of: Option<jiff::civil::Date>,
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = HolidayFormat::Table)]
    pub format: HolidayFormat,
    /// 書き出し先 / write to this file
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HolidayFormat {
    /// 表 / a table
    Table,
    /// Markdown
    Md,
    /// JSON
    Json,
}

#[derive(Args)]
pub struct VulnUpdateArgs {
    /// 取得するフィード kev・nvd・jvn・epss（既定: すべて）/ feeds to fetch (default: all)
    #[arg(long, value_delimiter = ',', default_value = "kev,nvd,jvn,epss")]
    pub feeds: Vec<mamori_vuln::FeedKind>,
    /// NVD・JVN の年別ファイルもすべて取得する（NVD は未取得または 8 日以上空いたときは自動）/
    /// fetch every NVD and JVN year file (automatic for NVD when never fetched or after 8 days)
    #[arg(long)]
    pub full: bool,
    /// 院内ミラーの URL（同じファイル名で置いたもの）/ base URL of a mirror serving the same file names
    #[arg(long, env = "MAMORI_FEED_MIRROR")]
    pub mirror: Option<String>,
    /// 取得したファイルの保存先（既定: データベースの隣の feeds/）/ where downloads are kept
    #[arg(long)]
    pub cache: Option<PathBuf>,
}

#[derive(Args)]
pub struct VulnStatusArgs {
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = HuntFormat::Table)]
    pub format: HuntFormat,
    /// この日付時点で古さを数える（既定: 今日）/ count ages as of this date (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<jiff::civil::Date>,
}

#[derive(Args)]
pub struct HuntArgs {
    /// ログファイルまたはフォルダ（- は標準入力）/ log files or folders (- for stdin)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = HuntFormat::Table)]
    pub format: HuntFormat,
    /// 業務時間・休業日を読むサイトフォルダ / site folder whose site.toml gives hours and closed days
    #[arg(long, value_name = "SITE_DIR")]
    pub site: Option<PathBuf>,
    /// 年のない日時（RFC 3164）をこの日以前として読む（既定: 今日）/ read year-less syslog times as not after this date
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<jiff::civil::Date>,
    /// 正規化したイベントを CSV（Excel で開ける UTF-8 BOM 付き）に書き出す / write the normalised events as CSV
    #[arg(long, value_name = "FILE.csv")]
    pub timeline: Option<PathBuf>,
    /// 形式を自動判別せず、すべてのファイルをこの形式として読む / read every file as this format instead of detecting it
    /// (evtx, windows-json, windows-xml, syslog, fortigate, cisco-asa)
    #[arg(long, value_name = "FORMAT")]
    pub log_format: Option<mamori_hunt::LogFormat>,
    /// log.bruteforce: 時間窓内の失敗回数のしきい値（既定 10、site.toml より優先）/ failures from one source within the window (default 10)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub bruteforce_failures: Option<u32>,
    /// log.password-spray: 時間窓内に試されたアカウント数のしきい値（既定 10）/ distinct accounts from one source within the window (default 10)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub spray_accounts: Option<u32>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HuntFormat {
    /// 表 / a table
    Table,
    /// 1 行 1 件の JSON / one finding per line
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 端末向けの表示 / for the terminal
    Terminal,
    Json,
    Md,
    Html,
}

fn parse_as_of(s: &str) -> Result<jiff::civil::Date, String> {
    mamori_ingest::value::parse_date(s).ok_or_else(|| {
        "日付として読めません（例: 2026-12-28、令和8年12月28日）/ not a date (e.g. 2026-12-28)"
            .to_owned()
    })
}
