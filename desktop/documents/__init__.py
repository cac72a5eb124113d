"""Documents built from plain data: spreadsheets, and Word files in the GB/T 9704-2012 format.

No database and no Qt here: services hand in dataclasses and get bytes or files back.

Spreadsheets
    ``spreadsheets`` (registry exports, the import error report) and ``template_rows``.

Official Word documents (党政机关公文格式) — every builder returns the ``.docx`` as bytes,
the same input always giving the same bytes:
    ``notice.build_notice(NoticeDoc) -> bytes``
        通知 in the 文件格式: red 发文机关标志, 发文字号, red rule, 标题, 主送机关, body,
        附件说明, 署名 and 成文日期 (laid out for a seal or without), 附注, 版记. The
        meeting notice is the same builder with its own body.
    ``minutes.build_minutes(MinutesDoc) -> bytes``
        会议纪要 in the 纪要格式 (§10.3): red 纪要标志, 第N期, office and date over the red
        rule, body, 出席／请假／列席 lists, 版记.
    ``blocks``: ``Heading(level, text, run_on="")``, ``Paragraph(text)``,
        ``Table(header, rows, widths=None, size_pt=14.0)``; ``blocks_from_text(text)``
        recognises “一、” “（一）” “1.” “（1）”; ``render_template(text, values)`` fills
        ``{占位符}`` and names an unknown one in a ValueError; ``placeholders(text)``.
    ``record_form.build_record_forms([RecordFormDoc]) -> bytes``
        部门联合抽查情况记录表: 小标宋 title, no red header, one bordered form; blank
        (``facts`` None) with “□” to tick and room to sign, or filled from the record.
    ``notification_letter.build_notification_letters([NotificationLetter]) -> bytes``
        检查告知书: title, the target as 主送, numbered body, 署名 and date for a seal.
        Several forms or letters in one file each start a new page numbered from 1
        (``OfficialDocument.new_section()``).
    ``tables.Imprint(printer, printed_on, copy_to=(), copy_label="抄送")``: the 版记.
    ``tables.Form(rows, size_pt=12)`` of ``FormRow(cells, height_mm)`` of
        ``FormCell(text, width, label=…, merge=…)``, written by ``tables.form_table``: a
        bordered form whose rows may split the width differently (one table, gridSpan).
    ``fonts``: ``FontSet`` (``standard()``, ``windows_fallback()``, ``from_key(key)``) — the
        user's choice in the settings, never guessed; ``missing_fonts(fontset, installed)``
        lists the names a PC lacks, for a warning before export.
    ``official``: the page, grid, styles and page numbers (``OfficialDocument``), and
        ``chinese_date(day)``, ``document_number(prefix, year, serial)`` (〔2026〕3号).
    ``elements`` and ``ooxml`` are the inner workings of the format.
"""
