//! nmap's XML output (`nmap -oX FILE …`) → the hosts it found up, with their addresses, names,
//! open ports and services. An interrupted scan (the file breaks off) keeps every host read
//! whole and says where it stopped; a file that is not nmap's output is refused.

use jiff::Timestamp;
use mamori_model::Localized;
use mamori_model::discovery::{DiscoveredHost, OpenPort};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// What one scan file gave.
#[derive(Debug, Default)]
pub struct NmapScan {
    /// Hosts reported up.
    pub hosts: Vec<DiscoveredHost>,
    /// Hosts reported down (counted, not kept).
    pub hosts_down: usize,
    /// What could not be read, each with its line.
    pub problems: Vec<(u64, Localized)>,
}

/// Where the reader is.
#[derive(Default)]
struct State {
    scan: NmapScan,
    started: Option<Timestamp>,
    seen_root: bool,
    finished: bool,
    host: Option<(DiscoveredHost, bool)>,
    port: Option<(OpenPort, bool)>,
}

/// Reads one nmap XML document; `file` names it in the hosts. `Err` when it is not nmap's
/// output at all.
pub fn parse_nmap_xml(text: &str, file: &str) -> Result<NmapScan, Localized> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect();
    let line_at = |offset: u64| -> u64 {
        let at = usize::try_from(offset).unwrap_or(usize::MAX);
        starts.partition_point(|&s| s <= at) as u64
    };
    let mut reader = Reader::from_str(text);
    let mut state = State::default();
    loop {
        let line = line_at(reader.buffer_position());
        match reader.read_event() {
            Ok(Event::Start(e)) => state.open(&e, line, file),
            Ok(Event::Empty(e)) => {
                state.open(&e, line, file);
                state.close(e.local_name().as_ref());
            }
            Ok(Event::End(e)) => state.close(e.local_name().as_ref()),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                state.scan.problems.push((
                    line,
                    Localized::new(
                        format!("XML が壊れていて、ここから後は読めていません（{e}）"),
                        format!("the XML breaks off here: {e}"),
                    ),
                ));
                break;
            }
        }
        if !state.seen_root && state.host.is_none() && reader.buffer_position() > 4096 {
            break;
        }
    }
    if !state.seen_root {
        return Err(Localized::new(
            "nmap の XML 出力ではありません（nmap -oX ファイル名 で保存したものを置いてください）",
            "not nmap XML output (save scans with nmap -oX FILE)",
        ));
    }
    if !state.finished && state.scan.problems.is_empty() {
        let last = line_at(text.len() as u64);
        state.scan.problems.push((
            last,
            Localized::new(
                "スキャン結果が途中で終わっています（中断したスキャン？）。最後まで書かれたホストだけを読みました",
                "the scan output ends early (an interrupted scan?); only the hosts written whole were read",
            ),
        ));
    }
    Ok(state.scan)
}

fn attr(e: &BytesStart, name: &str) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
        .unwrap_or_default()
}

impl State {
    fn open(&mut self, e: &BytesStart, line: u64, file: &str) {
        match e.local_name().as_ref() {
            "nmaprun" => {
                self.seen_root = true;
                self.started = attr(e, "start")
                    .parse::<i64>()
                    .ok()
                    .and_then(|s| Timestamp::from_second(s).ok());
            }
            "finished" => self.finished = true,
            "host" if self.seen_root => {
                let host = DiscoveredHost {
                    file: file.to_owned(),
                    line,
                    scanned_at: self.started,
                    ..DiscoveredHost::default()
                };
                self.host = Some((host, false));
            }
            _ => {}
        }
        let Some((host, up)) = self.host.as_mut() else {
            return;
        };
        match e.local_name().as_ref() {
            "status" => *up = attr(e, "state") == "up",
            "address" => {
                let addr = attr(e, "addr");
                match attr(e, "addrtype").as_str() {
                    "mac" => {
                        host.mac = addr.to_ascii_uppercase();
                        host.mac_vendor = attr(e, "vendor");
                    }
                    _ if !addr.is_empty() => host.ips.push(addr),
                    _ => {}
                }
            }
            "hostname" => {
                let name = attr(e, "name");
                if !name.is_empty() && !host.hostnames.contains(&name) {
                    host.hostnames.push(name);
                }
            }
            "osmatch" if host.os.is_empty() => host.os = attr(e, "name"),
            "port" => {
                let port = OpenPort {
                    protocol: attr(e, "protocol"),
                    port: attr(e, "portid").parse().unwrap_or(0),
                    ..OpenPort::default()
                };
                self.port = Some((port, false));
            }
            "state" => {
                if let Some((_, open)) = self.port.as_mut() {
                    *open = attr(e, "state") == "open";
                }
            }
            "service" => {
                if let Some((port, _)) = self.port.as_mut() {
                    port.service = attr(e, "name");
                    port.product = attr(e, "product");
                    port.version = attr(e, "version");
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "port" => {
                if let (Some((port, true)), Some((host, _))) =
                    (self.port.take(), self.host.as_mut())
                    && port.port != 0
                {
                    host.ports.push(port);
                }
            }
            "host" => match self.host.take() {
                Some((host, true)) => self.scan.hosts.push(host),
                Some((_, false)) => self.scan.hosts_down += 1,
                None => {}
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_nmap_and_broken_files() {
        assert!(parse_nmap_xml("<config><x/></config>", "a.xml").is_err());
        assert!(parse_nmap_xml("", "a.xml").is_err());
        assert!(parse_nmap_xml("\u{0}\u{1}garbage<<<", "a.xml").is_err());
        let cut = "<nmaprun start=\"1796428800\"><host><status state=\"up\"/>\
                   <address addr=\"10.0.0.5\" addrtype=\"ipv4\"/></host><host><status state=\"up\"/>";
        let scan = parse_nmap_xml(cut, "cut.xml").unwrap();
        assert_eq!(scan.hosts.len(), 1, "the host written whole is kept");
        assert_eq!(scan.hosts[0].ips, ["10.0.0.5"]);
        assert_eq!(
            scan.hosts[0].scanned_at.unwrap().to_string(),
            "2026-12-05T00:00:00Z"
        );
        assert_eq!(scan.problems.len(), 1, "and the early end is said");
    }
}
