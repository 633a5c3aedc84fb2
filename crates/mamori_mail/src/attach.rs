//! What an attachment is: hashed, named, and looked into (ZIP and OLE containers) for what
//! runs when opened — executables, scripts, shortcuts, disk images, OneNote, HTML, Office
//! macros, encrypted archives. Nothing is ever written to disk or executed.

use std::io::Cursor;

use crate::digest::sha256_hex;

/// Entries of an archive looked at.
const MAX_ENTRIES: usize = 2_000;

/// Why an attachment is dangerous to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Danger {
    /// A program (`.exe`, `.scr`, `.msi`, `.dll`, `.hta`…) or bytes that are one (`MZ`).
    Program(String),
    /// A script Windows runs on a double click (`.js`, `.vbs`, `.wsf`, `.ps1`, `.bat`…).
    Script(String),
    /// A shortcut (`.lnk`, `.url`, `.scf`): runs whatever it points at.
    Shortcut(String),
    /// A disk image (`.iso`, `.img`, `.vhd`): opens as a drive, past the mark of the web.
    DiskImage(String),
    /// OneNote (`.one`): hides a script behind a picture.
    OneNote,
    /// An HTML page or SVG: a login form that looks like the real one, opened from disk.
    Html(String),
    /// An Office document with macros (a `vbaProject.bin`, a VBA storage, or a macro type).
    Macro(String),
    /// The name hides its type (`.pdf.exe`, a right-to-left override character).
    DisguisedName,
    /// Inside an archive: the entry and what it is.
    Inside(String, Box<Danger>),
}

impl Danger {
    /// Why, in Japanese.
    pub fn ja(&self) -> String {
        match self {
            Danger::Program(ext) => format!("実行ファイル（{ext}）"),
            Danger::Script(ext) => format!("ダブルクリックで動くスクリプト（{ext}）"),
            Danger::Shortcut(ext) => format!("ショートカット（{ext}）"),
            Danger::DiskImage(ext) => format!("ディスクイメージ（{ext}）"),
            Danger::OneNote => "OneNote ファイル".to_owned(),
            Danger::Html(ext) => format!("HTML ファイル（{ext}）: 偽のログイン画面の手口"),
            Danger::Macro(how) => format!("マクロ付きの Office 文書（{how}）"),
            Danger::DisguisedName => "種類を偽ったファイル名".to_owned(),
            Danger::Inside(entry, what) => format!("圧縮ファイルの中の「{entry}」: {}", what.ja()),
        }
    }

    /// Why, in English.
    pub fn en(&self) -> String {
        match self {
            Danger::Program(ext) => format!("a program ({ext})"),
            Danger::Script(ext) => format!("a script that runs on a double click ({ext})"),
            Danger::Shortcut(ext) => format!("a shortcut ({ext})"),
            Danger::DiskImage(ext) => format!("a disk image ({ext})"),
            Danger::OneNote => "a OneNote file".to_owned(),
            Danger::Html(ext) => format!("an HTML file ({ext}): the fake login page trick"),
            Danger::Macro(how) => format!("an Office document with macros ({how})"),
            Danger::DisguisedName => "a file name that hides its type".to_owned(),
            Danger::Inside(entry, what) => format!("inside the archive, {entry}: {}", what.en()),
        }
    }
}

/// One attachment, inspected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attachment {
    /// The file name the mail gives (decoded).
    pub name: String,
    /// The declared content type, lowercase.
    pub content_type: String,
    /// Bytes.
    pub size: usize,
    /// SHA-256 of the content, for looking it up (VirusTotal, the vendor).
    pub sha256: String,
    /// What makes it dangerous to open, if anything.
    pub dangers: Vec<Danger>,
    /// An archive with encrypted entries: a scanner at the gateway cannot look inside.
    pub encrypted_archive: bool,
    /// An archive mamori cannot look into (RAR, 7-Zip, a damaged ZIP).
    pub opaque_archive: bool,
}

const PROGRAMS: &[&str] = &[
    "exe",
    "scr",
    "com",
    "pif",
    "cpl",
    "msi",
    "msp",
    "dll",
    "hta",
    "jar",
    "msc",
    "reg",
    "gadget",
    "application",
    "appx",
    "appxbundle",
    "msix",
    "msixbundle",
    "appinstaller",
];
const SCRIPTS: &[&str] = &[
    "js", "jse", "vbs", "vbe", "wsf", "wsh", "wsc", "sct", "ps1", "psm1", "psd1", "bat", "cmd",
    "xll", "chm", "inf",
];
const SHORTCUTS: &[&str] = &[
    "lnk",
    "url",
    "scf",
    "library-ms",
    "settingcontent-ms",
    "searchconnector-ms",
];
const DISK_IMAGES: &[&str] = &["iso", "img", "vhd", "vhdx"];
const HTML: &[&str] = &[
    "html", "htm", "shtml", "xhtml", "xht", "mht", "mhtml", "svg",
];
const MACRO_TYPES: &[&str] = &[
    "docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppam", "ppsm", "sldm",
];
const OPAQUE_ARCHIVES: &[&str] = &["rar", "7z", "cab", "ace", "arj", "lzh", "gz", "tgz", "xz"];

/// Inspects one attachment's bytes.
pub fn inspect_attachment(name: &str, content_type: &str, bytes: &[u8]) -> Attachment {
    let mut attachment = Attachment {
        name: name.to_owned(),
        content_type: content_type.to_owned(),
        size: bytes.len(),
        sha256: sha256_hex(bytes),
        ..Attachment::default()
    };
    if let Some(danger) = danger_of_name(name) {
        attachment.dangers.push(danger);
    } else if content_type == "text/html" || content_type == "image/svg+xml" {
        attachment
            .dangers
            .push(Danger::Html(content_type.to_owned()));
    }
    if bytes.starts_with(b"MZ")
        && !attachment
            .dangers
            .iter()
            .any(|d| matches!(d, Danger::Program(_)))
    {
        attachment.dangers.push(Danger::Program("MZ".to_owned()));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        look_into_zip(bytes, &mut attachment, true);
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        if let Some(how) = ole_macros(bytes) {
            attachment.dangers.push(Danger::Macro(how));
        }
    } else if OPAQUE_ARCHIVES.contains(&extension(name).as_str()) {
        attachment.opaque_archive = true;
    }
    attachment
}

/// The extension after the last dot, lowercase, without trailing spaces or dots.
fn extension(name: &str) -> String {
    let name = name.trim_end_matches([' ', '.', '\u{3000}']);
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The danger the name alone shows.
fn danger_of_name(name: &str) -> Option<Danger> {
    if name.contains('\u{202E}') {
        return Some(Danger::DisguisedName);
    }
    let ext = extension(name);
    let e = ext.as_str();
    let danger = if PROGRAMS.contains(&e) {
        Danger::Program(format!(".{e}"))
    } else if SCRIPTS.contains(&e) {
        Danger::Script(format!(".{e}"))
    } else if SHORTCUTS.contains(&e) {
        Danger::Shortcut(format!(".{e}"))
    } else if DISK_IMAGES.contains(&e) {
        Danger::DiskImage(format!(".{e}"))
    } else if e == "one" || e == "onepkg" {
        Danger::OneNote
    } else if HTML.contains(&e) {
        Danger::Html(format!(".{e}"))
    } else if MACRO_TYPES.contains(&e) {
        Danger::Macro(format!(".{e}"))
    } else {
        return None;
    };
    Some(danger)
}

/// Looks at a ZIP's entries: encrypted ones, a `vbaProject.bin` (an Office file with macros),
/// dangerous names, and — one level down — a ZIP inside.
fn look_into_zip(bytes: &[u8], attachment: &mut Attachment, outer: bool) {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        attachment.opaque_archive = true;
        return;
    };
    for index in 0..archive.len().min(MAX_ENTRIES) {
        let Ok(entry) = archive.by_index_raw(index) else {
            attachment.opaque_archive = true;
            continue;
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.encrypted() {
            attachment.encrypted_archive = true;
        }
        let base = name.rsplit('/').next().unwrap_or_default();
        if base.eq_ignore_ascii_case("vbaProject.bin") {
            attachment
                .dangers
                .push(Danger::Macro("vbaProject.bin".to_owned()));
        } else if let Some(danger) = danger_of_name(base) {
            attachment
                .dangers
                .push(Danger::Inside(name.clone(), Box::new(danger)));
        } else if outer && extension(base) == "zip" && !entry.encrypted() {
            drop(entry);
            if let Some(inner) = read_entry(&mut archive, index) {
                let mut nested = Attachment::default();
                look_into_zip(&inner, &mut nested, false);
                attachment.encrypted_archive |= nested.encrypted_archive;
                attachment.dangers.extend(
                    nested
                        .dangers
                        .into_iter()
                        .map(|d| Danger::Inside(name.clone(), Box::new(d))),
                );
            }
        }
    }
}

/// An entry's bytes, up to 64 MiB.
fn read_entry(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, index: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let entry = archive.by_index(index).ok()?;
    let mut out = Vec::new();
    entry.take(64 << 20).read_to_end(&mut out).ok()?;
    Some(out)
}

/// A VBA storage in an OLE compound file (`Macros` in Word, `_VBA_PROJECT_CUR` in Excel,
/// `VBA` in either).
fn ole_macros(bytes: &[u8]) -> Option<String> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    file.walk()
        .map(|entry| entry.name().to_owned())
        .find(|name| matches!(name.as_str(), "Macros" | "_VBA_PROJECT_CUR" | "VBA"))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            for (name, body) in entries {
                zip.start_file(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                zip.write_all(body).unwrap();
            }
            zip.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn names_tell_programs_scripts_shortcuts_and_pages() {
        for (name, ja) in [
            ("請求書.pdf.exe", "実行ファイル"),
            ("invoice.JS", "スクリプト"),
            ("資料.lnk", "ショートカット"),
            ("scan.iso", "ディスクイメージ"),
            ("Secure_Payment.html", "HTML"),
            ("集計.xlsm", "マクロ"),
            ("a\u{202E}fdp.exe", "偽った"),
        ] {
            let a = inspect_attachment(name, "application/octet-stream", b"x");
            assert!(
                a.dangers.iter().any(|d| d.ja().contains(ja)),
                "{name}: {:?}",
                a.dangers
            );
        }
        let plain = inspect_attachment("チェックリスト.pdf", "application/pdf", b"%PDF-1.7");
        assert!(plain.dangers.is_empty() && plain.sha256.len() == 64);
    }

    #[test]
    fn a_zip_is_looked_into() {
        let inner = zip_of(&[("run.vbs", b"x")]);
        let bytes = zip_of(&[("readme.txt", b"hi"), ("nested.zip", &inner)]);
        let a = inspect_attachment("docs.zip", "application/zip", &bytes);
        assert_eq!(a.dangers.len(), 1, "{:?}", a.dangers);
        assert!(a.dangers[0].ja().contains("nested.zip"));
        let xlsx = zip_of(&[("xl/workbook.xml", b"<x/>"), ("xl/vbaProject.bin", b"v")]);
        let a = inspect_attachment("見積.xlsx", "application/vnd.ms-excel", &xlsx);
        assert!(
            matches!(&a.dangers[..], [Danger::Macro(_)]),
            "renamed .xlsm"
        );
        let clean = zip_of(&[("xl/workbook.xml", b"<x/>")]);
        assert!(inspect_attachment("a.xlsx", "", &clean).dangers.is_empty());
    }

    #[test]
    fn damaged_containers_are_opaque_not_fatal() {
        let a = inspect_attachment("x.zip", "application/zip", b"PK\x03\x04garbage");
        assert!(a.opaque_archive);
        let b = inspect_attachment(
            "x.doc",
            "",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
        );
        assert!(b.dangers.is_empty());
    }
}
