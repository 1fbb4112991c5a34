#include "CCertsOpenSSL.h"
