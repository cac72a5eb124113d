"""备份与恢复 (`backup_dialog`) and the backup taken on exit."""
