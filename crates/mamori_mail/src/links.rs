//! Links in a mail's bodies: HTML anchors with the text they show, bare URLs in plain text, and
//! HTML reduced to text for the word rules. A small scanner rather than an HTML engine: a mail
//! is read, never rendered, and what matters is which address a click would open.

/// The longest shown text kept per link.
const MAX_SHOWN: usize = 200;

/// One link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// What the reader sees (the anchor's text, or the URL itself in plain text).
    pub shown: String,
    /// Where a click goes, as written (entities decoded).
    pub href: String,
    /// The host of `href`, lowercase, IDN as punycode (`None` for `mailto:` and the like).
    pub host: Option<String>,
    /// The scheme of `href`, lowercase.
    pub scheme: String,
}

impl Link {
    fn new(shown: &str, href: &str) -> Self {
        let href = href.trim().to_owned();
        let parsed = url::Url::parse(&href).ok();
        let scheme = parsed
            .as_ref()
            .map(|u| u.scheme().to_owned())
            .or_else(|| href.split_once(':').map(|(s, _)| s.to_ascii_lowercase()))
            .unwrap_or_default();
        let host = parsed
            .as_ref()
            .and_then(|u| u.host_str())
            .map(|h| h.trim_matches(['[', ']']).to_ascii_lowercase());
        let mut shown = shown.split_whitespace().collect::<Vec<_>>().join(" ");
        if shown.len() > MAX_SHOWN {
            let mut end = MAX_SHOWN;
            while !shown.is_char_boundary(end) {
                end -= 1;
            }
            shown.truncate(end);
        }
        Self {
            shown,
            href,
            host,
            scheme,
        }
    }

    /// The host the shown text names, when the text is itself an address
    /// (`https://www.example.co.jp/login`, `www.example.co.jp`).
    pub fn shown_host(&self) -> Option<String> {
        let text = self.shown.trim().trim_end_matches(['/', '.', '。']);
        if text.contains(char::is_whitespace) || !text.contains('.') {
            return None;
        }
        let with_scheme = if text.contains("://") {
            text.to_owned()
        } else if text.starts_with("www.") || looks_like_domain(text) {
            format!("http://{text}")
        } else {
            return None;
        };
        let url = url::Url::parse(&with_scheme).ok()?;
        url.host_str().map(str::to_ascii_lowercase)
    }
}

/// `example.co.jp` or `example.com/path`: letters, digits, dots and dashes before any `/`, and
/// a last label of letters only (not a version number like `1.2`).
fn looks_like_domain(text: &str) -> bool {
    let host = text.split('/').next().unwrap_or_default();
    let Some((_, tld)) = host.rsplit_once('.') else {
        return false;
    };
    tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// Bare `http://` and `https://` URLs in plain text.
pub fn links_in_text(text: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(at) = find_url_start(rest) {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| c.is_whitespace() || "<>\"'）」』】、。".contains(c))
            .unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ')', ']']);
        if url.len() > "https://".len() {
            links.push(Link::new(url, url));
        }
        rest = &tail[end.max(1).min(tail.len())..];
        if links.len() >= 500 {
            break;
        }
    }
    links
}

fn find_url_start(text: &str) -> Option<usize> {
    let lower_http = text.find("http://");
    let lower_https = text.find("https://");
    match (lower_http, lower_https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The text of an HTML body (tags dropped, `<style>`/`<script>` skipped, entities decoded) and
/// its anchors with the text each shows.
pub fn links_in_html(html: &str) -> (String, Vec<Link>) {
    let mut text = String::with_capacity(html.len() / 2);
    let mut links = Vec::new();
    // The open anchor: its href and where its text starts in `text`.
    let mut anchor: Option<(String, usize)> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut text, &rest[..lt]);
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let name = tag_name(tag);
        match name.as_str() {
            "style" | "script" => {
                let close = format!("</{name}");
                rest = match find_ascii_ci(rest, &close) {
                    Some(at) => rest[at..].find('>').map_or("", |g| &rest[at + g + 1..]),
                    None => "",
                };
            }
            "a" => {
                if let Some((href, start)) = anchor.take() {
                    links.push(Link::new(&text[start..], &href));
                }
                if let Some(href) = attribute(tag, "href") {
                    anchor = Some((href, text.len()));
                }
            }
            "/a" => {
                if let Some((href, start)) = anchor.take() {
                    links.push(Link::new(&text[start..], &href));
                }
            }
            "br" | "p" | "/p" | "div" | "/div" | "tr" | "/tr" | "li" | "td" => text.push('\n'),
            _ => {}
        }
        if links.len() >= 500 {
            break;
        }
    }
    push_decoded(&mut text, rest);
    if let Some((href, start)) = anchor.take() {
        links.push(Link::new(&text[start..], &href));
    }
    (text, links)
}

/// `a`, `/a`, `style`: the tag's name, lowercase.
fn tag_name(tag: &str) -> String {
    let tag = tag.trim_start();
    let end = tag.find(char::is_whitespace).unwrap_or(tag.len());
    tag[..end].trim_end_matches('/').to_ascii_lowercase()
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The value of `name=` in a tag, quoted or not, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(at) = find_ascii_ci(&tag[from..], name) {
        let start = from + at;
        from = start + name.len();
        let before_ok = tag[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let after = tag[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
            _ => value.split_whitespace().next().unwrap_or_default(),
        };
        let mut decoded = String::new();
        push_decoded(&mut decoded, raw);
        return Some(decoded);
    }
    None
}

/// Appends HTML text with the common entities decoded (`&amp;`, `&#12354;`, `&#x3042;`).
fn push_decoded(into: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        into.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&tail[1..e]));
        match (decoded, end) {
            (Some(c), Some(e)) => {
                into.push(c);
                rest = &tail[e + 1..];
            }
            _ => {
                into.push('&');
                rest = &tail[1..];
            }
        }
    }
    into.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_keeps_the_text_it_shows_and_where_it_goes() {
        let (text, links) = links_in_html(
            "<p>こちら: <A class=x HREF='https://evil.example/login?a=1&amp;b=2'>https://www.bank.co.jp/</a></p><style>a{}</style>",
        );
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].href, "https://evil.example/login?a=1&b=2");
        assert_eq!(links[0].host.as_deref(), Some("evil.example"));
        assert_eq!(links[0].shown_host().as_deref(), Some("www.bank.co.jp"));
        assert!(text.contains("こちら") && !text.contains("a{}"));
    }

    #[test]
    fn shown_words_are_no_host() {
        let link = Link::new("詳しくはこちら", "https://www.example.co.jp/");
        assert_eq!(link.shown_host(), None);
        assert_eq!(Link::new("version 1.2", "https://x.jp").shown_host(), None);
        assert_eq!(
            Link::new("example.co.jp", "https://x.jp")
                .shown_host()
                .as_deref(),
            Some("example.co.jp")
        );
    }

    #[test]
    fn bare_urls_in_text_end_at_japanese_punctuation() {
        let links =
            links_in_text("資料は https://files.example.jp/a.xlsx。よろしく http://x.jp/b)");
        let hrefs: Vec<&str> = links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(hrefs, ["https://files.example.jp/a.xlsx", "http://x.jp/b"]);
    }

    #[test]
    fn broken_html_never_panics() {
        for html in [
            "<",
            "<a href=",
            "<a href='x>",
            "&#xFFFFFFFF;",
            "<style>",
            "<a>t</a",
            "&#;",
        ] {
            let _ = links_in_html(html);
        }
    }
}
