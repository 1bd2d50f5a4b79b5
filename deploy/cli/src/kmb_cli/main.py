def main() -> None:
    print("kmb")
