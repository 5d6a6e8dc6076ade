"""Make fixtures/inputs/docx/word-template-python-docx.docx.

python-docx (pip install python-docx) saves into the default template that
ships with it, which Word made: its styles.xml (350 KB, latent styles,
"List Number" and "List Bullet" numbered through their styles),
numbering.xml, theme, settings and thumbnail are Word's own. The test
(tests/input_docx.rs, word_made_template_parts_are_read) checks what the
reader makes of them. Run from the repository root:

    python3 tests/docx_builder/word_template_fixture.py
"""

import docx

d = docx.Document()
d.add_heading("株洲市2024年政府信息公开工作年度报告", 0)
d.add_paragraph("一、总体情况")
d.add_paragraph("第一项", style="List Number")
d.add_paragraph("第二项", style="List Number")
d.add_paragraph("要点", style="List Bullet")
t = d.add_table(rows=3, cols=4)
t.style = "Table Grid"
t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（一）项"
for c, text in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
    t.cell(1, c).text = text
for c, text in enumerate(["规章", "0", "0", "0"]):
    t.cell(2, c).text = text
# A vertical merge: Word keeps both cells' paragraphs in the merged cell.
t.cell(1, 0).merge(t.cell(2, 0))
d.save("fixtures/inputs/docx/word-template-python-docx.docx")
