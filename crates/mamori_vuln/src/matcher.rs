//! NVD `configurations` against one asset: nodes, AND/OR, `negate`, `vulnerable`, and the
//! `versionStart/End Including/Excluding` ranges (research/vuln.md §2.3).
//!
//! Policy where NISTIR 7696 is silent or too strict for a ledger:
//! - the version is compared with [`crate::version::compare`], not as a string, so `9.8.4`
//!   from an ASA's `9.8(4)` equals NVD's `9.8.4`;
//! - an attribute the asset does not state (ANY on the asset's side: edition, language…) does
//!   not rule a criterion out — NISTIR calls that SUBSET; we cannot exclude it, so it counts;
//!   the version is the exception: an unknown version matches nothing here;
//! - `vulnerable: false` criteria are platform conditions (the hardware a firmware runs on).
//!   A ledger rarely names the hardware in CPE terms, so when the asset has no platform names
//!   the condition is taken as met and the match says so (`platform_assumed`).

use std::cell::OnceCell;
use std::cmp::Ordering;

use crate::cpe::{Component, Cpe, Relation, VERSION, compare_attr};
use crate::record::{Configuration, CpeMatch, Operator};
use crate::version::compare;

/// Each criterion of a record's configurations, parsed on first use (`None` where the string
/// does not parse: it then matches nothing). Most criteria of a record name other products and
/// are never parsed: NVD records list dozens to hundreds (CVE-2024-20353: 267), a site needs a
/// few.
#[derive(Clone, Debug, Default)]
pub struct ParsedCriteria(Vec<Vec<Vec<OnceCell<Option<Cpe>>>>>);

impl ParsedCriteria {
    /// Indexes a CVE's configurations for evaluation against many assets.
    pub fn new(configs: &[Configuration]) -> Self {
        ParsedCriteria(
            configs
                .iter()
                .map(|c| {
                    c.nodes
                        .iter()
                        .map(|n| n.matches.iter().map(|_| OnceCell::new()).collect())
                        .collect()
                })
                .collect(),
        )
    }
}

/// The asset as the matcher sees it.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    /// The asset's CPE name.
    pub cpe: &'a Cpe,
    /// Hardware or platform names, when the ledger gives them.
    pub platforms: &'a [Cpe],
}

/// Why a CVE applies: the configuration and criterion that matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index of the configuration in the record.
    pub config: usize,
    /// Index of the node in the configuration.
    pub node: usize,
    /// Index of the criterion in the node.
    pub criterion: usize,
    /// The platform part of an AND configuration was not known and assumed.
    pub platform_assumed: bool,
}

impl Hit {
    /// The criterion this hit points at.
    pub fn criterion<'a>(&self, configs: &'a [Configuration]) -> &'a CpeMatch {
        &configs[self.config].nodes[self.node].matches[self.criterion]
    }
}

/// Does one vulnerable criterion name this asset, version range included?
pub fn criterion_matches(m: &CpeMatch, criteria: &Cpe, target: &Cpe) -> bool {
    for (i, (s, t)) in criteria.attrs.iter().zip(&target.attrs).enumerate() {
        if i == VERSION {
            continue;
        }
        match compare_attr(s, t) {
            Relation::Equal | Relation::Superset => {}
            Relation::Subset if *t == Component::Any => {}
            _ => return false,
        }
    }
    let version = &target.attrs[VERSION];
    match &criteria.attrs[VERSION] {
        Component::Any => match version.as_text() {
            Some(v) => in_range(m, v),
            None => false,
        },
        Component::Na => *version == Component::Na,
        exact @ Component::Value { .. } => match (exact.as_text(), version.as_text()) {
            (Some(e), Some(v)) => compare(e, v) == Ordering::Equal && in_range(m, v),
            (None, Some(_)) => compare_attr(exact, version) == Relation::Superset,
            _ => false,
        },
    }
}

fn in_range(m: &CpeMatch, v: &str) -> bool {
    let after_start = m
        .start
        .as_ref()
        .is_none_or(|b| match compare(v, &b.version) {
            Ordering::Greater => true,
            Ordering::Equal => b.inclusive,
            Ordering::Less => false,
        });
    let before_end = m.end.as_ref().is_none_or(|b| match compare(v, &b.version) {
        Ordering::Less => true,
        Ordering::Equal => b.inclusive,
        Ordering::Greater => false,
    });
    after_start && before_end
}

/// The first configuration that makes the CVE apply to the target, if any.
pub fn evaluate(
    configs: &[Configuration],
    parsed: &ParsedCriteria,
    target: &Target,
) -> Option<Hit> {
    let target_key = target.cpe.product_key();
    for (ci, (config, cells)) in configs.iter().zip(&parsed.0).enumerate() {
        let mut hit = None;
        let mut assumed = false;
        let mut node_values = Vec::with_capacity(config.nodes.len());
        for (ni, (node, cells)) in config.nodes.iter().zip(cells).enumerate() {
            // Every criterion is evaluated (no short-circuit): the vulnerable one that matched
            // is the evidence, even where a platform criterion already satisfies the node.
            let mut values = Vec::with_capacity(node.matches.len());
            for (mi, (m, cell)) in node.matches.iter().zip(cells).enumerate() {
                let parsed = || cell.get_or_init(|| Cpe::parse(&m.criteria).ok()).as_ref();
                let value = if m.vulnerable {
                    let ok = !other_product(&m.criteria, target_key.as_deref())
                        && parsed().is_some_and(|c| criterion_matches(m, c, target.cpe));
                    if ok && hit.is_none() {
                        hit = Some((ni, mi));
                    }
                    ok
                } else if target.platforms.is_empty() {
                    assumed = true;
                    parsed().is_some()
                } else {
                    parsed().is_some_and(|c| {
                        target.platforms.iter().any(|p| criterion_matches(m, c, p))
                    })
                };
                values.push(value);
            }
            node_values.push(combine(node.operator, &values) != node.negate);
        }
        let applies = combine(config.operator, &node_values) != config.negate;
        if applies && let Some((node, criterion)) = hit {
            return Some(Hit {
                config: ci,
                node,
                criterion,
                platform_assumed: assumed,
            });
        }
    }
    None
}

/// Cheap pre-check on the raw string: does the criterion plainly name another product? Names
/// with escapes or wildcards in part/vendor/product are left to the full comparison.
fn other_product(criteria: &str, key: Option<&str>) -> bool {
    let (Some(key), Some(named)) = (key, crate::cpe::plain_product(criteria)) else {
        return false;
    };
    let mut expected = key.split(':');
    !named
        .iter()
        .all(|f| expected.next().is_some_and(|e| f.eq_ignore_ascii_case(e)))
}

fn combine(operator: Operator, values: &[bool]) -> bool {
    match operator {
        Operator::Or => values.iter().any(|&b| b),
        Operator::And => !values.is_empty() && values.iter().all(|&b| b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Bound, Node};

    fn m(
        criteria: &str,
        vulnerable: bool,
        start: Option<(&str, bool)>,
        end: Option<(&str, bool)>,
    ) -> CpeMatch {
        let b = |x: Option<(&str, bool)>| {
            x.map(|(v, inclusive)| Bound {
                version: v.into(),
                inclusive,
            })
        };
        CpeMatch {
            vulnerable,
            criteria: criteria.into(),
            start: b(start),
            end: b(end),
        }
    }

    fn config(operator: Operator, nodes: Vec<(Operator, Vec<CpeMatch>)>) -> Configuration {
        Configuration {
            operator,
            negate: false,
            nodes: nodes
                .into_iter()
                .map(|(op, matches)| Node {
                    operator: op,
                    negate: false,
                    matches,
                })
                .collect(),
        }
    }

    fn applies(configs: &[Configuration], target: &str, platforms: &[&str]) -> Option<Hit> {
        let cpe = Cpe::parse(target).unwrap();
        let platforms: Vec<Cpe> = platforms.iter().map(|p| Cpe::parse(p).unwrap()).collect();
        evaluate(
            configs,
            &ParsedCriteria::new(configs),
            &Target {
                cpe: &cpe,
                platforms: &platforms,
            },
        )
    }

    const FORTIOS: &str = "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*";

    fn fortios(v: &str) -> String {
        format!("cpe:2.3:o:fortinet:fortios:{v}:*:*:*:*:*:*:*")
    }

    #[test]
    fn ranges_respect_including_and_excluding() {
        let configs = [config(
            Operator::Or,
            vec![(
                Operator::Or,
                vec![
                    m(
                        FORTIOS,
                        true,
                        Some(("7.0.0", true)),
                        Some(("7.0.14", false)),
                    ),
                    m(
                        FORTIOS,
                        true,
                        Some(("6.4.0", false)),
                        Some(("6.4.15", true)),
                    ),
                ],
            )],
        )];
        for (v, expect) in [
            ("7.0.0", true),
            ("7.0.9", true),
            ("7.0.13", true),
            ("7.0.14", false),
            ("6.4.0", false),
            ("6.4.1", true),
            ("6.4.15", true),
            ("6.4.16", false),
            ("7.2.0", false),
        ] {
            assert_eq!(applies(&configs, &fortios(v), &[]).is_some(), expect, "{v}");
        }
        // Unknown version: no match from ranges.
        assert!(applies(&configs, &fortios("*"), &[]).is_none());
    }

    #[test]
    fn and_with_platform_node_needs_the_platform_when_known() {
        let asa = "cpe:2.3:o:cisco:adaptive_security_appliance_software:*:*:*:*:*:*:*:*";
        let configs = [config(
            Operator::And,
            vec![
                (
                    Operator::Or,
                    vec![m(asa, true, Some(("9.8", true)), Some(("9.8.4.20", false)))],
                ),
                (
                    Operator::Or,
                    vec![m(
                        "cpe:2.3:h:cisco:asa_5505:-:*:*:*:*:*:*:*",
                        false,
                        None,
                        None,
                    )],
                ),
            ],
        )];
        let target = "cpe:2.3:o:cisco:adaptive_security_appliance_software:9.8.4:*:*:*:*:*:*:*";
        let hit = applies(&configs, target, &[]).unwrap();
        assert!(hit.platform_assumed);
        assert!(
            applies(
                &configs,
                target,
                &["cpe:2.3:h:cisco:asa_5505:-:*:*:*:*:*:*:*"]
            )
            .is_some_and(|h| !h.platform_assumed)
        );
        assert!(
            applies(
                &configs,
                target,
                &["cpe:2.3:h:cisco:firepower_1010:-:*:*:*:*:*:*:*"]
            )
            .is_none()
        );
        // The fixed version just outside the range.
        let fixed = "cpe:2.3:o:cisco:adaptive_security_appliance_software:9.8.4.20:*:*:*:*:*:*:*";
        assert!(applies(&configs, fixed, &[]).is_none());
    }

    #[test]
    fn negate_and_non_vulnerable_only_configurations_never_report() {
        let mut c = config(
            Operator::Or,
            vec![(Operator::Or, vec![m(&fortios("7.0.9"), true, None, None)])],
        );
        assert!(applies(std::slice::from_ref(&c), &fortios("7.0.9"), &[]).is_some());
        c.nodes[0].negate = true;
        assert!(applies(std::slice::from_ref(&c), &fortios("7.0.9"), &[]).is_none());
        let platform_only = config(
            Operator::Or,
            vec![(Operator::Or, vec![m(&fortios("7.0.9"), false, None, None)])],
        );
        assert!(applies(&[platform_only], &fortios("7.0.9"), &[]).is_none());
    }

    #[test]
    fn exact_versions_compare_as_versions_and_updates_as_names() {
        let configs = [config(
            Operator::Or,
            vec![(
                Operator::Or,
                vec![
                    m(
                        "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*",
                        true,
                        None,
                        None,
                    ),
                    m(
                        "cpe:2.3:o:cisco:adaptive_security_appliance_software:9.8.4.20:*:*:*:*:*:*:*",
                        true,
                        None,
                        None,
                    ),
                ],
            )],
        )];
        assert!(
            applies(
                &configs,
                "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*",
                &[]
            )
            .is_some()
        );
        assert!(
            applies(
                &configs,
                "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h2:*:*:*:*:*:*",
                &[]
            )
            .is_none()
        );
        assert!(
            applies(
                &configs,
                "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:-:*:*:*:*:*:*",
                &[]
            )
            .is_none()
        );
        assert!(
            applies(
                &configs,
                "cpe:2.3:o:cisco:adaptive_security_appliance_software:9.8.4.020:*:*:*:*:*:*:*",
                &[]
            )
            .is_some()
        );
    }
}
