"""Privacy as the paper practised it: the policy (who may be named, pseudonyms, masking),
dehydrated sharing and the leak scan of a built book.
"""
