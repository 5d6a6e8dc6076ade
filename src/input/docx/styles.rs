//! `word/styles.xml`: paragraph and character styles, as far as the view
//! needs them (list numbering through a style, hidden text, the default
//! paragraph style).

use super::xml::El;
use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
pub(super) struct Style {
    pub(super) based_on: Option<String>,
    pub(super) num_id: Option<String>,
    pub(super) ilvl: Option<usize>,
    pub(super) vanish: Option<bool>,
}

#[derive(Debug, Default)]
pub(super) struct Styles {
    pub(super) by_id: HashMap<String, Style>,
    /// The default paragraph style (`w:default="1"`).
    pub(super) default_paragraph: Option<String>,
}

impl Styles {
    pub(super) fn parse(root: &El) -> Styles {
        let mut by_id = HashMap::new();
        let mut default_paragraph = None;
        for s in root.elements().filter(|e| e.name == "style") {
            let Some(id) = s.attr("styleId") else {
                continue;
            };
            // Word's default paragraph style is `Normal`; Chinese Word and WPS
            // often call it `a` (正文). It is the one marked default.
            if s.attr("type") == Some("paragraph")
                && matches!(s.attr("default"), Some("1" | "true" | "on"))
            {
                default_paragraph = Some(id.to_string());
            }
            let num = s.path(&["pPr", "numPr"]);
            let st = Style {
                based_on: s.child("basedOn").and_then(|b| b.val()).map(str::to_string),
                num_id: num
                    .and_then(|n| n.child("numId"))
                    .and_then(|n| n.val())
                    .map(str::to_string),
                ilvl: num
                    .and_then(|n| n.child("ilvl"))
                    .and_then(|n| n.val())
                    .and_then(|v| v.parse().ok()),
                vanish: s.child("rPr").and_then(|r| r.on("vanish")),
            };
            by_id.insert(id.to_string(), st);
        }
        Styles {
            by_id,
            default_paragraph,
        }
    }

    /// The style and its `basedOn` ancestors, nearest first (cycles cut).
    pub(super) fn chain(&self, id: Option<&str>) -> Vec<(&str, &Style)> {
        let mut out: Vec<(&str, &Style)> = Vec::new();
        let mut cur = id.map(str::to_string);
        while let Some(c) = cur {
            if out.len() > 32 || out.iter().any(|(i, _)| *i == c) {
                break;
            }
            let Some((k, s)) = self.by_id.get_key_value(&c) else {
                break;
            };
            out.push((k.as_str(), s));
            cur = s.based_on.clone();
        }
        out
    }

    pub(super) fn vanish(&self, id: Option<&str>) -> Option<bool> {
        self.chain(id).iter().find_map(|(_, s)| s.vanish)
    }
}
