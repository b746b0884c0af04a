"""Annotation: natasha behind adapters, entities, time expressions, quantities and figures."""
