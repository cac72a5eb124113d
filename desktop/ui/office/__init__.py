"""The office's working-day calendar (`calendar_dialog`): holidays and make-up days."""
