"""随机抽取 tab (`draw_tab`): preparing a draw, the ceremony it drives (`draw_ceremony`)
on the projector window (`projector/`), and replacements (`replacement_dialog`)."""
