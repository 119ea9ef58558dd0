"""Outbound webhooks: signing (Standard Webhooks), the SSRF guard and the HTTP sender."""
