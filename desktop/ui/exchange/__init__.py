"""数据交换 dialog (文件 → 数据交换): own key and trusted units, package exports, import."""
