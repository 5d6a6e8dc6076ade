"""Independent reader for `report-lint annotate` output (tests/annotate.rs).

Opens the DOCX with python-docx (installed by scripts/setup.sh) and prints as
JSON its comments (id, author, text) with the text each one's range covers in
the document body, in document order.
"""
import sys, json, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
body = d.element.body
# text inside each comment's range, in document order
ranges = {}
open_ids = set()
for el in body.iter():
    if el.tag == qn('w:commentRangeStart'):
        i = el.get(qn('w:id')); open_ids.add(i); ranges.setdefault(i, "")
    elif el.tag == qn('w:commentRangeEnd'):
        open_ids.discard(el.get(qn('w:id')))
    elif el.tag == qn('w:t'):
        for i in open_ids: ranges[i] += el.text or ""
comments = [{"id": str(c.comment_id), "author": c.author, "text": c.text, "anchor": ranges.get(str(c.comment_id))} for c in d.comments]
print(json.dumps({"paragraphs": len(d.paragraphs), "tables": len(d.tables), "comments": comments}, ensure_ascii=False, indent=1))
