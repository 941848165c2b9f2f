"""Consultations as data: loaded from pdf_templates/<slug>/consultation.yaml (`flask seed`)."""
