"""用户: sign-in at start (`sign_in`, `login_dialog`), the 用户 menu, accounts and roles
(`accounts_dialog`, `role_dialog`) and the audit trail (`audit_dialog`)."""
