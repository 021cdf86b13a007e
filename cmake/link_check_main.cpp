// The link check of a layer (cmake/ErgLayers.cmake): only linking it matters.
int main() { return 0; }
