throw "private: never loaded"
