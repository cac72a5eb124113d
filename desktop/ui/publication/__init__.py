"""公示公开 tab (`publication_tab`) and the publication dialog."""
