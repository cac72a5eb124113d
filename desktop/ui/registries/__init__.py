"""两库 tab (`registry_tab`): targets (`targets_pane`), the import wizard and the
registry confirmation before draws (`confirmation_pane`, `registry_confirm`)."""
