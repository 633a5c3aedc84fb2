//! Which senders are heard: addresses and networks (`192.168.1.0/24`, `10.0.0.1`, `::1`).

use std::net::IpAddr;

/// One allowed network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    /// Parses `ADDR` or `ADDR/PREFIX`; the error says what to write instead.
    pub fn parse(s: &str) -> Result<Net, String> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| format!("{s:?}: 192.168.1.0/24 や 10.0.0.1 のように書いてください / write it like 192.168.1.0/24 or 10.0.0.1"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: the prefix must be 0–{max}"))?,
        };
        Ok(Net { addr, prefix })
    }

    /// Whether `ip` is in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => masked(
                u128::from(u32::from(a)),
                u128::from(u32::from(b)),
                self.prefix,
                32,
            ),
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                masked(u128::from(a), u128::from(b), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn masked(a: u128, b: u128, prefix: u8, bits: u32) -> bool {
    let shift = bits - u32::from(prefix);
    if shift >= bits {
        return true;
    }
    (a >> shift) == (b >> shift)
}

/// Senders heard: everyone when the list is empty.
pub fn allowed(list: &[Net], ip: IpAddr) -> bool {
    list.is_empty() || list.iter().any(|n| n.contains(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_and_addresses() {
        let list = vec![
            Net::parse("192.168.1.0/24").unwrap(),
            Net::parse("10.0.0.1").unwrap(),
            Net::parse("2001:db8::/32").unwrap(),
        ];
        for (ip, ok) in [
            ("192.168.1.77", true),
            ("192.168.2.1", false),
            ("10.0.0.1", true),
            ("10.0.0.2", false),
            ("2001:db8::5", true),
            ("::ffff:192.168.1.9", true),
            ("2001:db9::1", false),
        ] {
            assert_eq!(allowed(&list, ip.parse().unwrap()), ok, "{ip}");
        }
        assert!(allowed(&[], "8.8.8.8".parse().unwrap()));
        assert!(
            Net::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        assert!(Net::parse("192.168.1.0/33").is_err() && Net::parse("fw-01").is_err());
    }
}
