"""Accounts and audit: who may do what and who did what (A2).

``access`` checks the signed-in person's rights inside every use case; ``users`` keeps the
accounts, sign-in and lockout; ``audit`` is the hash-chained trail every change writes
(``audit_query`` reads it, ``audit_labels`` names it in Chinese, ``audit_guard`` notices a
change committed without an entry). Imports no other area.
"""
