"""联席会议 tab (`meeting_tab`): meetings, members, decisions, and the documents pane with
its drafting, issuing and printing (`documents_pane`, `document_dialogs`, `document_actions`)."""
