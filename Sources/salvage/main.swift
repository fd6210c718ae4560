print("salvage")
