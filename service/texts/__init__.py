"""Texts with the reference: the wording (one GSM-7 message), who may be texted, and sending through Twilio."""
