//! What a narrative number counts (its *measure*), and which numbers of a
//! sentence form a breakdown of a whole.
//!
//! A number's measure comes from its own words, in this order of strength:
//! 1. the noun right after its counter (`六个部分组成`: report parts);
//! 2. the head noun of its lead, the last of the nouns that name what is counted
//!    (`收到政府信息公开申请` → 申请; `依申请公开信息数` → 信息, because
//!    `依申请公开` is the disclosure attribute, not an application);
//! 3. the whole it is a part of (`制作政府信息617份，其中…依申请公开及不予公开431份`:
//!    documents, like the whole);
//! 4. its counter (`份`, `篇` count documents) and the last noun the sentence
//!    spoke of before it (`受理…申请21件，…同意公开答复1件`: an application);
//!
//! then, for applications, the verb or outcome words of its lead say which
//! application count it is (received, processed, carried over, an outcome, an
//! applicant type, a channel). Rules ask for a measure
//! (`report.statements(#{measure: "applications.received"})`) instead of
//! matching characters. `docs/report-model.md` lists the measures.

use crate::model::{measure_can_be_part, Breakdown, NarrativeNumber, COUNT_UNITS};

/// Nouns after a counter that make the number count something other than
/// requests, cases or documents.
const COUNTED_NOUNS: [(&str, &str); 4] = [
    ("部分", "report.parts"),
    ("方面", "report.parts"),
    ("工作日", "other.days"),
    ("栏目", "other.columns"),
];

/// Phrases where a noun word is not the thing counted: `依申请公开` is the
/// disclosure attribute of a document, `申请人` a person.
const MASKED: [&str; 4] = ["依申请公开", "依申请", "申请人", "申请方式"];

/// The nouns that name what is counted, with the kind each gives.
const HEAD_NOUNS: [(&str, Kind); 12] = [
    ("申请", Kind::Applications),
    ("复议", Kind::Cases),
    ("诉讼", Kind::Cases),
    ("起诉", Kind::Cases),
    ("案件", Kind::Cases),
    ("规范性文件", Kind::Normative),
    ("信息", Kind::Documents),
    ("文件", Kind::Documents),
    ("公文", Kind::Documents),
    ("稿件", Kind::Documents),
    ("推文", Kind::Documents),
    ("公告", Kind::Documents),
];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Applications,
    Cases,
    Documents,
    Normative,
}

/// Outcome words of table 3's 办理结果, in the wordings reports use.
const OUTCOME_WORDS: [&str; 16] = [
    "予以公开",
    "同意公开",
    "公开答复",
    "部分公开",
    "区分处理",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "不予受理",
    "本机关不掌握",
    "不掌握",
    "没有现成信息",
    "国家秘密",
    "逾期不补正",
    "逾期未缴",
];

/// Applicant words and the table-3 column (or `legal`: every organisation
/// column) they name.
const APPLICANTS: [(&str, &str); 9] = [
    ("自然人", "natural"),
    ("公民", "natural"),
    ("个人", "natural"),
    ("商业企业", "org_business"),
    ("科研机构", "org_research"),
    ("社会公益组织", "org_public_welfare"),
    ("法律服务机构", "org_legal_service"),
    ("法人", "legal"),
    ("企业", "org_business"),
];

const CHANNELS: [&str; 8] = [
    "网络",
    "网上",
    "信函",
    "当面",
    "邮寄",
    "传真",
    "电子邮件",
    "在线",
];

const RECEIVED: [&str; 6] = ["收到", "接收", "受理", "新收", "收悉", "接到"];
const PROCESSED: [&str; 6] = ["办结", "办理", "答复", "回复", "处理", "完成"];

/// Index of the last occurrence of any of `words` in `s` (byte offset of its
/// end), with the word.
fn last_of<'a>(s: &str, words: &[&'a str]) -> Option<(usize, &'a str)> {
    words
        .iter()
        .filter_map(|w| s.rfind(w).map(|i| (i + w.len(), *w)))
        .max_by_key(|(end, w)| (*end, w.len()))
}

fn mask(s: &str) -> String {
    let mut out = s.to_string();
    for m in MASKED {
        out = out.replace(m, &"　".repeat(m.chars().count()));
    }
    out
}

/// The kind named by the last head noun of `s`.
fn head_kind(s: &str) -> Option<Kind> {
    let masked = mask(s);
    let nouns: Vec<&str> = HEAD_NOUNS.iter().map(|(w, _)| *w).collect();
    let (_, w) = last_of(&masked, &nouns)?;
    let kind = HEAD_NOUNS.iter().find(|(n, _)| *n == w).map(|(_, k)| *k)?;
    // A case noun anywhere in the words makes it a case count
    // (`因政府信息公开申请行政复议`, `行政复议申请`).
    if ["复议", "诉讼", "起诉"].iter().any(|c| masked.contains(c)) {
        return Some(Kind::Cases);
    }
    Some(kind)
}

fn is_count(n: &NarrativeNumber) -> bool {
    COUNT_UNITS.contains(&n.unit.as_str())
}

/// The measure of a number counting applications, from its lead.
fn application_measure(lead: &str) -> String {
    let l = mask(lead);
    if l.contains("结转") {
        let out = ["下年", "下一年", "继续办理"].iter().any(|w| l.contains(w))
            || !["上年", "上一年", "去年", "上年度"]
                .iter()
                .any(|w| l.contains(w));
        return if out {
            "applications.carried_out".into()
        } else {
            "applications.carried_in".into()
        };
    }
    if OUTCOME_WORDS.iter().any(|w| l.contains(w)) {
        return "applications.outcome".into();
    }
    // One applicant type named (`法人申请1件`, `其中自然人2件`); `公民、法人及其他
    // 组织提出的申请` names every applicant: all requests.
    let mut named: Vec<&str> = Vec::new();
    let mut rest = l.clone();
    for (w, col) in APPLICANTS {
        if rest.contains(w) {
            rest = rest.replace(w, "　");
            if !named.contains(&col) {
                named.push(col);
            }
        }
    }
    let others = l.contains("其他组织") || l.contains("其他法人");
    if named.len() == 1 && !others {
        return format!("applications.applicant.{}", named[0]);
    }
    // One channel named (`网上申请14件`); `通过邮寄、网络提交的各类申请` names
    // several: all requests.
    if CHANNELS.iter().filter(|w| l.contains(*w)).count() == 1 {
        return "applications.channel".into();
    }
    let received = last_of(&l, &RECEIVED).map(|(e, _)| e);
    let processed = last_of(&l, &PROCESSED).map(|(e, _)| e);
    // `收到并处理…申请40件`, `受理和办理`: the requests received, all of them
    // in hand too (but `受理并办结3件` are the requests completed).
    if let (Some(r), Some(p)) = (received, processed) {
        let between = l.get(r..p).unwrap_or("");
        let weak = ["处理", "办理"].iter().any(|w| l[..p].ends_with(w));
        if weak
            && ["并", "和", "及", "与", "、"]
                .iter()
                .any(|w| between.starts_with(w))
            && between.chars().count() <= 3
        {
            return "applications.received".into();
        }
    }
    match (received, processed) {
        (Some(r), Some(p)) if p > r => "applications.processed".into(),
        (Some(_), _) => "applications.received".into(),
        (None, Some(_)) => "applications.processed".into(),
        (None, None) => "applications".into(),
    }
}

fn normative_measure(lead: &str) -> String {
    // The stock is the subject (`现行有效件数424件`), not the object of a
    // task (`清理并集中发布现行有效行政规范性文件393件`).
    const TASKS: [&str; 8] = [
        "清理", "集中", "发布", "公布", "梳理", "汇编", "更新", "审查",
    ];
    let stock_at = lead.rfind("有效");
    let task = stock_at.is_some_and(|at| TASKS.iter().any(|t| lead[..at].contains(t)));
    if stock_at.is_some() && task {
        "normative".into()
    } else if stock_at.is_some() {
        "normative.in_force".into()
    } else if lead.contains("废止") {
        "normative.repealed".into()
    } else if ["制发", "印发", "出台", "制定", "新制作", "发布"]
        .iter()
        .any(|w| lead.contains(w))
    {
        "normative.issued".into()
    } else {
        "normative".into()
    }
}

fn documents_measure(lead: &str) -> String {
    let l = lead.replace("依申请公开", "\u{0}");
    if l.contains('\u{0}') {
        "documents.on_request".into()
    } else if l.contains("不予公开") {
        "documents.withheld".into()
    } else if l.contains("主动公开") {
        "documents.active".into()
    } else {
        "documents".into()
    }
}

fn measure_of_kind(kind: Kind, lead: &str) -> String {
    match kind {
        Kind::Applications => application_measure(lead),
        Kind::Cases => {
            // The organ as the reviewing body (`全年受理行政复议申请15件`,
            // `审理…行政复议案件`), not as the respondent table 4 counts.
            let reviewer = ["受理", "审理"].iter().any(|w| lead.contains(w))
                && !["被", "引发", "引起"].iter().any(|w| lead.contains(w));
            if reviewer {
                return "other.cases_reviewed".into();
            }
            let review = lead.contains("复议");
            let suit = lead.contains("诉讼") || lead.contains("起诉");
            match (review, suit) {
                (true, false) => "cases.review".into(),
                (false, true) => "cases.litigation".into(),
                _ => "cases".into(),
            }
        }
        Kind::Documents => documents_measure(lead),
        Kind::Normative => normative_measure(lead),
    }
}

fn kind_of_measure(m: &str) -> Option<Kind> {
    match m.split('.').next()? {
        "applications" => Some(Kind::Applications),
        "cases" => Some(Kind::Cases),
        "documents" => Some(Kind::Documents),
        "normative" => Some(Kind::Normative),
        _ => None,
    }
}

/// The measure of one number given the whole it belongs to (if any).
fn measure(n: &NarrativeNumber, whole: Option<&str>) -> String {
    if !is_count(n) {
        return match n.unit.as_str() {
            "%" | "个百分点" => "rate".into(),
            "元" | "万元" | "亿元" => "money".into(),
            "" => "unitless".into(),
            _ => "other".into(),
        };
    }
    // 1. The noun after the counter.
    let tail = n.tail.trim_start();
    if let Some((_, m)) = COUNTED_NOUNS.iter().find(|(w, _)| tail.starts_with(w)) {
        return m.to_string();
    }
    if tail.starts_with("申请") {
        return application_measure(&n.lead);
    }
    // 2. The head noun of the lead. A document noun followed by an answer
    // to a request, with a request's counter, is the object of that answer
    // (`因无法提供相关信息答复2件` after `受理…申请21件`).
    if let Some(kind) = head_kind(&n.lead) {
        if kind == Kind::Documents
            && matches!(n.unit.as_str(), "件" | "个" | "宗")
            && n.context.contains("申请")
        {
            let nouns: Vec<&str> = HEAD_NOUNS.iter().map(|(w, _)| *w).collect();
            let masked = mask(&n.lead);
            let after = last_of(&masked, &nouns).map_or("", |(e, _)| &masked[e..]);
            if PROCESSED
                .iter()
                .chain(OUTCOME_WORDS.iter())
                .any(|w| after.contains(w))
            {
                return application_measure(&n.lead);
            }
        }
        return measure_of_kind(kind, &n.lead);
    }
    // 3. The whole it is a part of.
    if let Some(kind) = whole.and_then(kind_of_measure) {
        return measure_of_kind(kind, &n.lead);
    }
    // 4. Its counter, then what the sentence spoke of before it. `依申请公开`
    // with an application's counter is the requests (`办理依申请公开18件`),
    // with a document's the documents (`依申请公开及不予公开431份`).
    // A request's verb with `份` in a sentence about requests counts requests
    // (`共收到政府信息公开申请253份，…，依法办结260份`).
    // Not a document's disclosure attribute (`其中主动公开253份、依申请公开及不予公开409份`).
    if n.unit == "份" && mask(&n.context).contains("申请") {
        let m = application_measure(&n.lead);
        let stage = ["received", "processed", "carried_in", "carried_out"]
            .iter()
            .any(|s| m.strip_prefix("applications.") == Some(s));
        if stage {
            return m;
        }
    }
    if matches!(n.unit.as_str(), "份" | "篇") {
        return documents_measure(&n.lead);
    }
    if n.lead.contains("依申请") && matches!(n.unit.as_str(), "件" | "个" | "宗") {
        let m = application_measure(&n.lead);
        return if m == "applications" {
            "applications.received".into()
        } else {
            m
        };
    }
    if matches!(n.unit.as_str(), "起" | "宗") && n.context.contains("处罚") {
        return "other".into();
    }
    // A request's counter with a request's verb or outcome, in a sentence
    // about requests (`因无法提供相关信息答复2件`, `其他处理2件`).
    if matches!(n.unit.as_str(), "件" | "个" | "宗") && n.context.contains("申请") {
        let m = application_measure(&n.lead);
        if m != "applications" {
            return m;
        }
    }
    let before = match n.context.rfind(n.lead.as_str()) {
        Some(k) if !n.lead.is_empty() => &n.context[..k],
        _ => n.context.as_str(),
    };
    if let Some(kind) = head_kind(before) {
        // An outcome or a verb of its own is needed to make a bare number
        // an application count (`同意公开答复1件` after `受理申请21件`).
        if kind == Kind::Applications {
            let m = application_measure(&n.lead);
            return if m == "applications" {
                "other".into()
            } else {
                m
            };
        }
        return match kind {
            Kind::Documents => documents_measure(&n.lead),
            // The number's own verb first (`现行有效行政规范性文件59件，本年度制发
            // 2件、废止3件`: 2 issued, 3 repealed, not in force); the sentence's
            // words only when it has none.
            Kind::Normative if normative_measure(&n.lead) != "normative" => {
                normative_measure(&n.lead)
            }
            _ => measure_of_kind(kind, &format!("{before}{}", n.lead)),
        };
    }
    "other".into()
}

/// Words that make a number cover more than one year.
const SPAN_OF_YEARS: [&str; 9] = [
    "近三年",
    "近两年",
    "近五年",
    "近几年",
    "近年来",
    "历年",
    "多年来",
    "以来",
    "累计至",
];

/// Set each number's `period`: `years` when its sentence, before it, speaks
/// of a span of years (`近三年来`, `历年`, `2019年以来`) and the report's year
/// is not named again between that and the number; `year` otherwise.
/// `今年以来`, `年初以来` and `<the report's year>年以来` are the year itself.
pub fn periods(numbers: &mut [NarrativeNumber], year: Option<i64>) {
    let this_year: Vec<String> = ["本年", "今年", "全年", "当年", "年初"]
        .iter()
        .map(|s| s.to_string())
        .chain(year.map(|y| format!("{y}年")))
        .collect();
    for n in numbers.iter_mut() {
        n.period = if other_year(&n.lead, year) {
            "other".to_string()
        } else {
            period_of(&n.context, &this_year).to_string()
        };
    }
}

/// `other`: the number's own words name another year, not as a carry-over
/// (`2022年收到32件`, `上年收到32件`; not `2022年结转5件`, `结转至2024年`).
fn other_year(lead: &str, year: Option<i64>) -> bool {
    if lead.contains("同期") {
        return true;
    }
    if lead.contains("结转") {
        return false;
    }
    if ["上年", "去年", "上一年"].iter().any(|w| lead.contains(w)) {
        return true;
    }
    let Some(year) = year else {
        return false;
    };
    let bytes = lead.as_bytes();
    lead.match_indices('年').any(|(i, _)| {
        i >= 4
            && bytes[i - 4..i].iter().all(u8::is_ascii_digit)
            && (i < 5 || !bytes[i - 5].is_ascii_digit())
            && lead[i - 4..i].parse::<i64>().is_ok_and(|y| y != year)
    })
}

fn period_of(context: &str, this_year: &[String]) -> &'static str {
    let Some((end, word)) = last_of(context, &SPAN_OF_YEARS) else {
        return "year";
    };
    let start = end - word.len();
    if word == "以来"
        && this_year
            .iter()
            .any(|y| context[..start].ends_with(y.as_str()))
    {
        return "year";
    }
    let after = &context[end..];
    if this_year.iter().any(|y| after.contains(y.as_str())) {
        return "year";
    }
    "years"
}

/// Markers that open a breakdown of the number before them.
const MARKERS: [&str; 5] = ["其中", "(含", "（含", "包括", "分别为"];

/// Classes of counters that can be added together: a whole and its parts
/// share a class; the parts of one listing also share a subclass (`条`,
/// `份`, `篇` count documents; `件`, `项`, `个` requests or items).
fn unit_class(u: &str) -> (u8, u8) {
    match u {
        "条" | "份" | "篇" => (1, 1),
        "件" | "项" | "个" => (1, 2),
        "起" | "宗" => (2, 0),
        "批" | "次" => (3, 0),
        "家" => (4, 0),
        "期" => (5, 0),
        _ => (0, 0),
    }
}

/// Set each number's measure and find the breakdowns of every paragraph's
/// numbers. `text` is the whole text view, `numbers` in text order.
pub fn annotate(text: &str, numbers: &mut [NarrativeNumber]) -> Vec<Breakdown> {
    let mut breakdowns = Vec::new();
    let mut whole_of: Vec<Option<usize>> = vec![None; numbers.len()];
    // What each number counts by its own words, before any whole lends it
    // a measure: a listing ends at a number that counts another stage.
    let own: Vec<String> = numbers.iter().map(|n| measure(n, None)).collect();
    // Breakdowns first: a part inherits its whole's measure.
    let mut i = 0;
    while i < numbers.len() {
        if let Some(b) = breakdown_at(text, numbers, &own, i) {
            for &p in &b.parts {
                whole_of[p] = Some(b.whole);
            }
            i = *b.parts.last().unwrap_or(&i) + 1;
            breakdowns.push(b);
        } else {
            i += 1;
        }
    }
    for k in 0..numbers.len() {
        let whole = whole_of[k].map(|w| numbers[w].measure.clone());
        numbers[k].measure = measure(&numbers[k], whole.as_deref());
    }
    breakdowns
}

/// A breakdown whose first part is `numbers[i]`, if `i` starts one: a whole
/// before a marker (`其中`, `(含`, `包括`) with parts after it, or a total
/// followed in the same sentence by a listing of categories ending in `其他…`.
/// Parts share one counter (a unitless number in the listing takes it), and
/// that counter adds up with the whole's (`条` and `份`, not `起` or `批`).
///
/// A listing at the whole's depth ends at a number that counts another stage
/// of the same thing (`own`, each number's measure by its own words): in
/// `收到申请40件，其中自然人申请28件，法人或其他组织申请12件，上年结转5件，依法办结43件`
/// the parts are 28 and 12. A parenthesis says what it includes, so `（含上年结转2件）`
/// stays a part.
fn breakdown_at(
    text: &str,
    numbers: &[NarrativeNumber],
    own: &[String],
    i: usize,
) -> Option<Breakdown> {
    let first = &numbers[i];
    let prev_in_sentence = (0..i)
        .rev()
        .find(|&j| numbers[j].sentence == first.sentence);
    let lead_from = prev_in_sentence
        .map(|j| numbers[j].span.end)
        .unwrap_or(first.sentence.start);
    let lead_text = text.get(lead_from..first.span.start)?;
    let marker = MARKERS.iter().find(|m| lead_text.contains(*m)).copied();
    let unitless_first = first.unit.is_empty() && first.qualifiers.is_empty();
    if !(is_count(first) || marker.is_some() && unitless_first) {
        return None;
    }
    let whole;
    let complete_hint;
    if let Some(m) = marker {
        if m.ends_with('含') && first.depth == 0 {
            return None;
        }
        // The whole: the last count of this sentence before the marker with
        // no deeper parenthesis; failing that, when the marker opens the
        // sentence, a count with the same counter in the two sentences
        // before that is this year's figure (not a running total, 历年累计).
        let before_first = text.get(first.sentence.start..first.span.start)?;
        whole = (0..i)
            .rev()
            .find(|&j| {
                let n = &numbers[j];
                n.sentence == first.sentence && is_count(n) && n.depth <= first.depth
            })
            .or_else(|| {
                if !before_first.trim_start().starts_with(m) {
                    return None;
                }
                let mut sentences = 0;
                let mut last_sentence = first.sentence;
                for j in (0..i).rev() {
                    let n = &numbers[j];
                    if n.paragraph != first.paragraph {
                        return None;
                    }
                    if n.sentence != last_sentence {
                        sentences += 1;
                        last_sentence = n.sentence;
                        if sentences > 2 {
                            return None;
                        }
                    }
                    // `历年累计` is a running total; `全年累计` is this year's.
                    let running = ["历年", "以来", "累计至", "截至"]
                        .iter()
                        .any(|w| n.lead.contains(w));
                    if is_count(n) && n.unit == first.unit && !running {
                        return Some(j);
                    }
                }
                None
            });
        complete_hint = false;
    } else {
        // No marker: `主动公开政府信息364条，人事信息17条，……其他…19条`: the
        // first count of the sentence, then categories (…类, …信息).
        let j = prev_in_sentence?;
        let w = &numbers[j];
        if w.unit != first.unit || w.depth != first.depth || w.lead.contains("其他") {
            return None;
        }
        if (0..j).any(|k| numbers[k].sentence == first.sentence && is_count(&numbers[k])) {
            return None;
        }
        // Nor a part of a listing opened by a marker (`其中，机关职能类8条、…`).
        let before_whole = text.get(first.sentence.start..w.span.start)?;
        if MARKERS.iter().any(|m| before_whole.contains(m)) {
            return None;
        }
        whole = Some(j);
        complete_hint = true;
    }
    let w = whole?;
    let wn = &numbers[w];
    let class = unit_class(&wn.unit).0;
    if class == 0 {
        return None;
    }
    let mut parts: Vec<usize> = Vec::new();
    let mut sub: Option<u8> = None;
    for (k, n) in numbers.iter().enumerate().skip(i) {
        if n.sentence != first.sentence || n.depth < first.depth {
            break;
        }
        if n.depth > first.depth {
            continue;
        }
        let unitless = n.unit.is_empty() && n.qualifiers.is_empty();
        if !unitless {
            let (c, s) = unit_class(&n.unit);
            if !is_count(n) || c != class || sub.is_some_and(|x| x != s) {
                break;
            }
            sub = Some(s);
        }
        if n.depth == wn.depth && !measure_can_be_part(&own[k], &own[w]) {
            break;
        }
        if complete_hint && !["类", "信息", "方面"].iter().any(|c| n.lead.contains(c)) {
            return None;
        }
        parts.push(k);
    }
    if parts.len() < 2 || parts.iter().all(|&p| numbers[p].unit.is_empty()) {
        return None;
    }
    let last = &numbers[*parts.last()?];
    if complete_hint && !last.lead.contains("其他") {
        return None;
    }
    let after_last = text.get(last.span.end..last.sentence.end).unwrap_or("");
    // Outcomes divide the requests handled, not those received: listed under
    // the received (`收到申请40件，…。其中，予以公开23件，部分公开8件`) they need
    // not add up to it.
    let outcomes_of_received = own[w] == "applications.received"
        && parts
            .iter()
            .all(|&p| measure(&numbers[p], Some(&own[w])) == "applications.outcome");
    let open = after_last.trim_start().starts_with('等')
        || lead_text.contains("主要")
        || outcomes_of_received;
    Some(Breakdown {
        whole: w,
        parts,
        marker: marker.unwrap_or("").to_string(),
        complete: !open,
    })
}

#[cfg(test)]
mod tests {
    use crate::parse::numbers::extract;

    fn measures(s: &str) -> Vec<(String, String)> {
        let mut v = extract(s, 0, 0);
        super::annotate(s, &mut v);
        v.into_iter().map(|n| (n.text, n.measure)).collect()
    }

    fn m(s: &str, text: &str) -> String {
        measures(s)
            .into_iter()
            .find(|(t, _)| t == text)
            .map(|(_, m)| m)
            .unwrap_or_else(|| panic!("{text} not in {:?}", measures(s)))
    }

    #[test]
    fn report_parts_are_not_cases() {
        // 平潭 2021 自然资源与生态环境局: the preamble.
        let s = "报告全文由总体情况、政府信息公开行政复议与行政诉讼情况、其他需要报告的事项共6个部分组成。";
        assert_eq!(m(s, "6个"), "report.parts");
        assert_eq!(
            m("全年发生政府信息公开行政复议案件2件。", "2件"),
            "cases.review"
        );
    }

    #[test]
    fn documents_by_disclosure_attribute() {
        // 平潭 财政金融局 2023 and 综合执法与应急管理局 2020.
        let s = "2023年制作、获取政府信息总数509条，其中主动公开政府信息107条，依申请公开信息数354条，不予公开信息数48条。";
        assert_eq!(m(s, "354条"), "documents.on_request");
        assert_eq!(m(s, "48条"), "documents.withheld");
        let s = "制作政府信息（文件）617份，其中主动公开138份、依申请公开及不予公开431份；立案查处各类违法行为并作出行政处罚决定784起。";
        assert_eq!(m(s, "431份"), "documents.on_request");
        assert_ne!(m(s, "784起"), "documents.on_request");
        // An application stays an application.
        assert_eq!(
            m("共收到政府信息公开申请3条。", "3条"),
            "applications.received"
        );
        assert_eq!(m("办理依申请公开18件。", "18件"), "applications.processed");
    }

    #[test]
    fn outcomes_are_not_totals() {
        // 平潭 市场监督管理局 2025.
        let s = "共受理政府信息公开申请21件，经分类处置后，给予同意公开答复 1 件，不予公开答复3件，区分处理后公开11件，因无法提供相关信息答复2件，其他处理2件，结转下年度继续办理2件。";
        assert_eq!(m(s, "21件"), "applications.received");
        for t in ["1 件", "3件", "11件", "2件"] {
            assert_eq!(m(s, t), "applications.outcome", "{t}");
        }
        let s = "收到政府信息公开申请3份，其中法人申请1件、自然人申请2件。";
        assert_eq!(m(s, "1件"), "applications.applicant.legal");
        assert_eq!(m(s, "2件"), "applications.applicant.natural");
        let s = "我局共收到政府信息公开申请4件，受理并办结3件。";
        assert_eq!(m(s, "3件"), "applications.processed");
        let s = "2023年，本机关共收到并处理政府信息公开申请40件。";
        assert_eq!(m(s, "40件"), "applications.received");
        // The handling verb before the receiving one (once a panic, 111.txt).
        let s = "全年办理完毕后又收到政府信息公开申请5件。";
        assert_eq!(m(s, "5件"), "applications.received");
    }

    #[test]
    fn cases_the_organ_reviews_are_not_its_own() {
        let s = "全年受理行政复议申请15件，其中涉及政府信息公开的1件。";
        assert_eq!(m(s, "15件"), "other.cases_reviewed");
        assert!(!m(s, "1件").starts_with("cases"), "{}", m(s, "1件"));
        let s = "全年因政府信息公开被申请行政复议7件。";
        assert_eq!(m(s, "7件"), "cases.review");
    }

    #[test]
    fn normative_documents() {
        let s = "本年度制发规范性文件34件，现行有效件数424件。";
        assert_eq!(m(s, "34件"), "normative.issued");
        assert_eq!(m(s, "424件"), "normative.in_force");
        // The stock first, then the year's counts by their own verbs.
        let s = "现行有效行政规范性文件59件，本年度制发2件、废止3件。";
        assert_eq!(m(s, "59件"), "normative.in_force");
        assert_eq!(m(s, "2件"), "normative.issued");
        assert_eq!(m(s, "3件"), "normative.repealed");
    }

    fn breakdowns(s: &str) -> Vec<(String, Vec<String>, bool)> {
        let mut v = extract(s, 0, 0);
        let b = super::annotate(s, &mut v);
        b.into_iter()
            .map(|b| {
                (
                    v[b.whole].text.clone(),
                    b.parts.iter().map(|&p| v[p].text.clone()).collect(),
                    b.complete,
                )
            })
            .collect()
    }

    #[test]
    fn breakdown_parts_share_the_whole_counter() {
        let s = "制作政府信息（文件）617份，其中主动公开138份、依申请公开及不予公开431份；立案查处各类违法行为并作出行政处罚决定784起，全部予以公开挂网。";
        assert_eq!(
            breakdowns(s),
            [("617份".into(), vec!["138份".into(), "431份".into()], true)]
        );
        let s = "累计发布微信公众号推文974篇，其中《快检天天报》系列专栏每日更新，全年共完成11541批次食用农产品抽检，检出不合格产品38批次。";
        assert!(breakdowns(s).is_empty(), "{:?}", breakdowns(s));
        let s = "全年政府信息主动公开52条，其中政策及规范性文件类3条，国土资源城乡建设环保能源类信息 45，其他类4条；办理依申请公开19件。";
        assert_eq!(
            breakdowns(s),
            [(
                "52条".into(),
                vec!["3条".into(), "45".into(), "4条".into()],
                true
            )]
        );
    }

    #[test]
    fn numbers_over_several_years() {
        let this = ["本年", "今年", "全年", "当年", "年初", "2023年"].map(String::from);
        let p = |ctx: &str| super::period_of(ctx, &this);
        assert_eq!(p("近三年来，本机关共收到政府信息公开申请"), "years");
        assert_eq!(
            p("近三年来，本机关共收到政府信息公开申请120件，2023年收到"),
            "year"
        );
        assert_eq!(p("2019年以来累计收到申请"), "years");
        assert_eq!(p("2023年以来，共收到申请"), "year");
        assert_eq!(p("今年以来，共收到申请"), "year");
        assert_eq!(p("历年累计主动公开政府信息"), "years");
        assert_eq!(p("2023年，本机关共收到政府信息公开申请"), "year");
        let o = |lead: &str| super::other_year(lead, Some(2023));
        assert!(o("2022年收到"));
        assert!(o("上年同期为"));
        assert!(o("去年收到"));
        assert!(!o("2022年结转"));
        assert!(!o("结转至2024年办理"));
        assert!(!o("2023年，本机关共收到政府信息公开申请"));
        assert!(!o("全年收到"));
    }

    #[test]
    fn several_channels_name_every_request() {
        assert_eq!(
            m(
                "2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件。",
                "81件"
            ),
            "applications.received"
        );
        assert_eq!(
            m("全年办结申请58件，其中网络申请数14件。", "14件"),
            "applications.channel"
        );
        // `份` with a request's verb, in a sentence about requests.
        assert_eq!(
            m(
                "共收到政府信息公开申请253份，其中自然人申请232份，依法办结260份。",
                "260份"
            ),
            "applications.processed"
        );
        assert_eq!(
            m("制作政府信息617份，依申请公开及不予公开431份。", "617份"),
            "documents"
        );
        // 111.txt: documents by disclosure attribute, after a sentence with no request.
        let s = "依托政府网站、微信公众号等渠道，向社会及时公开执法应急领域相关工作动态和政务信息。其中主动公开253份、依申请公开及不予公开409份。";
        assert_eq!(m(s, "409份"), "documents.on_request");
    }

    #[test]
    fn a_listing_ends_at_another_stage() {
        // Generated in the wording of real reports (`2023年全区接收…共计81件，涉及
        // 自然人80件、商业企业1件`): the requests carried in and handled are not
        // among the 40 received.
        let s = "2023年，本机关收到公民、法人和其他组织提出的政府信息公开申请40件，其中自然人申请28件，法人或其他组织申请12件，2022年结转5件，依法办结43件。";
        assert_eq!(
            breakdowns(s),
            [("40件".into(), vec!["28件".into(), "12件".into()], true)]
        );
        let s =
            "共收到申请9件，其中自然人申请5件，法人申请4件，上年结转申请1件，全年办结申请10件。";
        assert_eq!(
            breakdowns(s),
            [("9件".into(), vec!["5件".into(), "4件".into()], true)]
        );
        // Outcomes divide the handled requests, not those received.
        let s = "收到政府信息公开申请40件，全部通过网络渠道提交。其中，予以公开23件，部分公开8件。";
        assert_eq!(
            breakdowns(s),
            [("40件".into(), vec!["23件".into(), "8件".into()], false)]
        );
        let s = "全年办结申请10件，其中予以公开6件，不予公开4件。";
        assert_eq!(
            breakdowns(s),
            [("10件".into(), vec!["6件".into(), "4件".into()], true)]
        );
        // A parenthesis says what the total includes.
        let s = "共受理申请25件（含上年结转2件、网上申请3件）。";
        assert_eq!(
            breakdowns(s),
            [("25件".into(), vec!["2件".into(), "3件".into()], true)]
        );
    }

    #[test]
    fn listing_without_marker_and_open_listing() {
        let s = "2022年，主动公开政府信息364条，人事信息17条，国民经济和社会发展规划类信息1条，重大建设项目类信息308条，公共服务类信息8条，其他应主动公开的政府信息19条。";
        let b = breakdowns(s);
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!(b[0].0, "364条");
        assert_eq!(b[0].1.len(), 5);
        // Two counts in one sentence that are not a listing.
        assert!(breakdowns("共收到申请4件，办结4件。").is_empty());
        let s = "全文电子化的主动公开信息数共107条，其中:减税降费22条，财税金融等政策及解读共2条；其他文件共54条等。";
        let b = breakdowns(s);
        assert!(!b.is_empty() && !b[0].2, "{b:?}");
    }

    #[test]
    fn marker_opening_a_sentence_takes_this_years_figure() {
        let s = "主动公开政府信息475条。历年累计主动公开政府信息2979条。其中公示公告类159条，政策解读类3条。";
        let b = breakdowns(s);
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!(b[0].0, "475条");
    }
}
