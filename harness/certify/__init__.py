"""Certification and release gating: profiles, waivers, certificates, history."""
