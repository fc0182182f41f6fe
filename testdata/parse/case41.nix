name: ./${name}
