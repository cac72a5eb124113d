"""工作台 (`home_tab`): what needs doing today."""
