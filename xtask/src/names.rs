//! Invented Japanese names and a tiny deterministic random source (no crate needed for this).

pub const SURNAMES: &[&str] = &[
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
];

pub const GIVEN: &[&str] = &[
    "陽子",
    "恵",
    "美咲",
    "直樹",
    "健太",
    "翔太",
    "由美",
    "真由美",
    "大輔",
    "拓也",
    "智子",
    "裕子",
    "和也",
    "亮",
    "愛",
    "彩",
    "誠",
    "聡",
    "香織",
    "明美",
    "浩二",
    "達也",
    "舞",
    "優子",
];

pub const ROMAJI: &[&str] = &[
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "ito",
    "watanabe",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "kato",
    "yoshida",
    "yamada",
    "sasaki",
    "yamaguchi",
    "matsumoto",
    "inoue",
    "kimura",
    "hayashi",
    "saito",
    "shimizu",
    "yamazaki",
    "mori",
    "ikeda",
    "hashimoto",
    "abe",
    "ishikawa",
    "yamashita",
    "nakajima",
    "ishii",
    "ogawa",
    "maeda",
    "okada",
    "hasegawa",
    "fujita",
    "goto",
    "kondo",
];

pub const DEPARTMENTS: &[&str] = &[
    "内科",
    "外科",
    "整形外科",
    "小児科",
    "看護部 3階病棟",
    "看護部 4階病棟",
    "看護部 外来",
    "放射線科",
    "臨床検査科",
    "薬剤部",
    "リハビリテーション科",
    "医事課",
    "総務課",
    "栄養科",
];

/// A linear congruential generator: deterministic output for a committed demo.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}
