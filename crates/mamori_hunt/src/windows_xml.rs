//! Windows events exported as XML (`wevtutil qe … /f:xml`, Event Viewer's "Save as XML") → the
//! same JSON shape the `evtx` crate produces, so that [`crate::windows::map_event`] serves both.
//!
//! Elements become objects, attributes go under `#attributes`, text under `#text` when the
//! element also has attributes, repeated children become arrays, and `<EventData><Data
//! Name="X">v</Data>` becomes `{"X": "v"}`.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Map, Value};

#[derive(Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

/// Every `<Event>` element of the text, in order, as JSON values; and whether the XML broke
/// off with an error (what was read before it is kept).
pub fn events(text: &str) -> (Vec<Value>, Option<String>) {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = Vec::new();
    let mut out = Vec::new();
    let close = |stack: &mut Vec<Node>, out: &mut Vec<Value>, node: Node| match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None if node.name == "Event" => out.push(to_value(&node)),
        None => {}
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => stack.push(open(&e)),
            Ok(Event::Empty(e)) => {
                let node = open(&e);
                if node.name == "Event" || !stack.is_empty() {
                    close(&mut stack, &mut out, node);
                }
            }
            Ok(Event::End(_)) => {
                if let Some(node) = stack.pop() {
                    // `<Events>` wraps Event Viewer exports: its children are the events.
                    if node.name == "Events" && stack.is_empty() {
                        out.extend(
                            node.children
                                .iter()
                                .filter(|c| c.name == "Event")
                                .map(to_value),
                        );
                    } else {
                        close(&mut stack, &mut out, node);
                    }
                }
            }
            Ok(Event::Text(t)) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.into_inner());
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.into_inner());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let (Some(node), Some(c)) =
                    (stack.last_mut(), mamori_ingest::decode::xml_entity(&r))
                {
                    node.text.push(c);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return (out, Some(e.to_string())),
        }
    }
    (out, None)
}

fn open(e: &quick_xml::events::BytesStart) -> Node {
    let name = e.local_name().as_ref().to_owned();
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let key = a.key.local_name().as_ref().to_owned();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned());
            (key, value)
        })
        .collect();
    Node {
        name,
        attrs,
        ..Node::default()
    }
}

fn to_value(node: &Node) -> Value {
    if node.name == "EventData" {
        let mut map = Map::new();
        let mut positional = Vec::new();
        for child in &node.children {
            match child.attrs.iter().find(|(k, _)| k == "Name") {
                Some((_, name)) => {
                    map.insert(name.clone(), Value::String(child.text.trim().to_owned()));
                }
                None => positional.push(Value::String(child.text.trim().to_owned())),
            }
        }
        if !positional.is_empty() {
            map.insert("Data".into(), Value::Array(positional));
        }
        return Value::Object(map);
    }
    let text = node.text.trim();
    if node.children.is_empty() && node.attrs.is_empty() {
        return Value::String(text.to_owned());
    }
    let mut map = Map::new();
    if !node.attrs.is_empty() {
        let attrs: Map<String, Value> = node
            .attrs
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        map.insert("#attributes".into(), Value::Object(attrs));
    }
    if !text.is_empty() {
        map.insert("#text".into(), Value::String(text.to_owned()));
    }
    for child in &node.children {
        let value = to_value(child);
        match map.get_mut(&child.name) {
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None => {
                map.insert(child.name.clone(), value);
            }
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_viewer_export_with_entities_and_positional_data() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<Events><Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>
<Provider Name="Microsoft-Windows-Security-Auditing"/><EventID>4625</EventID>
<TimeCreated SystemTime="2026-01-01T00:00:00.0Z"/><EventRecordID>7</EventRecordID>
<Channel>Security</Channel><Computer>PC&amp;1</Computer></System>
<EventData><Data Name="TargetUserName">adm&#x69;n</Data><Data Name="IpAddress">10.0.0.9</Data></EventData>
</Event><Event><System><EventID Qualifiers="0">18456</EventID></System><EventData><Data>sa</Data><Data>x</Data></EventData></Event></Events>"#;
        let (events, error) = events(xml);
        assert!(error.is_none());
        assert_eq!(events.len(), 2);
        assert_eq!(events[0]["System"]["Computer"], "PC&1");
        assert_eq!(
            events[0]["System"]["Provider"]["#attributes"]["Name"],
            "Microsoft-Windows-Security-Auditing"
        );
        assert_eq!(events[0]["EventData"]["TargetUserName"], "admin");
        assert_eq!(events[1]["System"]["EventID"]["#text"], "18456");
        assert_eq!(events[1]["EventData"]["Data"][1], "x");
    }

    #[test]
    fn broken_xml_keeps_what_was_read() {
        let (events, error) =
            events("<Event><System><EventID>1</EventID></System></Event><Event><System>");
        assert_eq!(events.len(), 1);
        assert!(error.is_none() || events.len() == 1);
        let (_, error) = events_err();
        assert!(error.is_some());
    }

    fn events_err() -> (Vec<Value>, Option<String>) {
        events("<Event><System></Wrong></Event>")
    }
}
